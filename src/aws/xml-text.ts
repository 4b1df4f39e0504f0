// Rewrites of an XML response before the SDK parses it. Loaded by the parse workers too: imports
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

/** Where an element's whole text lies in the body: from just after its start tag to its end tag. */
interface TextRange {
  start: number;
  end: number;
}

function bytesOf(input: Uint8Array): Buffer {
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

/**
 * The body with each of `texts` (in order) written as a CDATA section, where that means exactly
 * the same: no entity (`&`), which CDATA would not decode, and no `]]>`, which would end it. The
 * input itself when none is rewritten.
 */
function textsAsCdata(input: Uint8Array, body: Buffer, texts: readonly TextRange[]): Uint8Array {
  const parts: Buffer[] = [];
  let copied = 0;
  for (const { start, end } of texts) {
    const text = body.subarray(start, end);
    if (text.includes(AMP) || text.includes(CDATA_CLOSE)) continue;
    parts.push(body.subarray(copied, start), CDATA_OPEN, text, CDATA_CLOSE);
    copied = end;
  }
  if (parts.length === 0) return input;
  parts.push(body.subarray(copied));
  return Buffer.concat(parts);
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
  const body = bytesOf(input);
  const texts: TextRange[] = [];
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
    texts.push({ start: pos, end: textEnd });
    pos = textEnd;
  }
  return textsAsCdata(input, body, texts);
}

/** Elements whose text is a policy document: `Document`, `PolicyDocument`, `AssumeRolePolicyDocument`. */
const DOCUMENT_TAG_END = Buffer.from('Document>');

/** A policy document shorter than this is left as it is. */
export const DOCUMENT_TEXT_BYTES = 64;

function isAsciiLetters(bytes: Buffer): boolean {
  for (const b of bytes) if (!((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a))) return false;
  return true;
}

/**
 * The same XML document with the text of each element named `...Document` (the URL-encoded policy
 * documents of a GetAccountAuthorizationDetails page) written as a CDATA section, under the rule of
 * longTextsAsCdata: the whole text between the element's start and end tags, with no `&` and no
 * `]]>`. It searches for those elements only, so it costs a few native searches per document
 * rather than one per tag: a page of 1,000 managed policies parses in about two thirds of the time.
 * A body with comments, CDATA, DOCTYPE or a processing instruction other than a leading XML
 * declaration is left as it is.
 */
export function documentTextsAsCdata(input: Uint8Array, minBytes = DOCUMENT_TEXT_BYTES): Uint8Array {
  const body = bytesOf(input);
  const instruction = body.indexOf('<?');
  if (body.includes('<!') || instruction > 0 || (instruction === 0 && body.indexOf('<?', 1) >= 0)) return input;
  const texts: TextRange[] = [];
  let pos = 0;
  for (;;) {
    const nameEnd = body.indexOf(DOCUMENT_TAG_END, pos);
    if (nameEnd < 0) break;
    pos = nameEnd + DOCUMENT_TAG_END.length;
    // A start tag without attributes: `<`, letters ending in `Document`, `>` (not an end tag, not text that holds the word).
    const lt = body.lastIndexOf(LT, nameEnd);
    if (lt < 0 || body[lt + 1] === SLASH || !isAsciiLetters(body.subarray(lt + 1, nameEnd))) continue;
    const name = body.subarray(lt + 1, pos - 1);
    const textEnd = body.indexOf(LT, pos);
    if (textEnd < 0 || textEnd - pos < minBytes) continue;
    // The text runs to this element's own end tag, with no child element in between.
    const close = textEnd + 2;
    if (body[textEnd + 1] !== SLASH || !body.subarray(close, close + name.length).equals(name) || body[close + name.length] !== GT) continue;
    texts.push({ start: pos, end: textEnd });
    pos = textEnd;
  }
  return textsAsCdata(input, body, texts);
}
