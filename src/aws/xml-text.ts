// A rewrite of an XML response before the SDK parses it. Loaded by the parse workers too: imports
// nothing of the connector.

/** Text shorter than this is left as it is: rewriting it would save the SDK's parser next to nothing. */
export const LONG_TEXT_BYTES = 256;

const LT = 0x3c; // <
const GT = 0x3e; // >
const SLASH = 0x2f; // /
const BANG = 0x21; // !
const QUESTION = 0x3f; // ?
const AMP = 0x26; // &
const QUOTE = 0x22; // "
const APOS = 0x27; // '
const CDATA_OPEN = Buffer.from('<![CDATA[');
const CDATA_CLOSE = Buffer.from(']]>');

/** Where the tag that starts at or before `from` ends (the index of its `>`), quoted attribute values skipped; -1 when it does not end. */
function tagEnd(body: Buffer, from: number): number {
  const gt = body.indexOf(GT, from);
  if (gt < 0) return -1;
  // Only a tag with attributes holds quotes (AWS's root element, with its xmlns), and a value may hold a `>`.
  const tag = body.subarray(from, gt);
  const double = tag.indexOf(QUOTE);
  const single = tag.indexOf(APOS);
  const quote = double < 0 ? single : single < 0 ? double : Math.min(double, single);
  if (quote < 0) return gt;
  const closing = body.indexOf(body[from + quote] as number, from + quote + 1);
  return closing < 0 ? -1 : tagEnd(body, closing + 1);
}

/**
 * The same XML document with each long text of an element (a credential report's base64) written
 * as a CDATA section, which the SDK's parser reads with one search and one slice instead of a
 * character at a time (a 5 MB report: about 600 ms -> a few ms). Only text that means exactly the
 * same as CDATA is rewritten: the whole text between an element's start and end tags, with no
 * entity (`&`) and no `]]>` in it. A body with markup the rewrite does not look into (comments,
 * CDATA, DOCTYPE, processing instructions) or that does not end its tags is left as it is. The
 * work is a search per tag: meant for answers of few tags and long texts.
 */
export function longTextsAsCdata(input: Uint8Array, minBytes = LONG_TEXT_BYTES): Uint8Array {
  const body = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const parts: Buffer[] = [];
  let copied = 0;
  let pos = 0;
  for (;;) {
    const lt = body.indexOf(LT, pos);
    if (lt < 0) break;
    const next = body[lt + 1];
    if (next === BANG || next === QUESTION) return input;
    const gt = tagEnd(body, lt);
    if (gt < 0) return input;
    pos = gt + 1;
    // Only a start tag (not an end tag, not self-closing) followed by text up to an end tag.
    if (next === SLASH || body[gt - 1] === SLASH) continue;
    const textEnd = body.indexOf(LT, pos);
    if (textEnd < 0 || body[textEnd + 1] !== SLASH || textEnd - pos < minBytes) continue;
    const text = body.subarray(pos, textEnd);
    if (text.includes(AMP) || text.includes(CDATA_CLOSE)) continue;
    parts.push(body.subarray(copied, pos), CDATA_OPEN, text, CDATA_CLOSE);
    copied = textEnd;
    pos = textEnd;
  }
  if (parts.length === 0) return input;
  parts.push(body.subarray(copied));
  return Buffer.concat(parts);
}
