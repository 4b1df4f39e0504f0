// A faster reader for the XML of AWS answers, in place of the SDK's own. Loaded by the parse
// workers too: imports nothing of the connector.
//
// The SDK's XML deserialiser (XmlShapeDeserializer in @aws-sdk/core) turns the text into a tree of
// plain objects (parseXML of @aws-sdk/xml-builder, then getValueFromTextNode) and reads that tree
// against the operation's schema. Its parser builds every tag name and text a character at a time:
// three quarters of the cost of a GetAccountAuthorizationDetails page. This reader builds the same
// tree with native searches and slices, and hands it to the same schema reading, so types, lists
// and dates stay the SDK's. It covers the XML that AWS writes (a declaration, elements, attributes,
// text, entities, CDATA, comments); on anything else (a DOCTYPE, markup it does not know, a name
// that would touch Object.prototype, a document that is not well formed) it gives up and the SDK's
// own parser reads the text, so an error is the SDK's own.

const LT = 0x3c; // <
const GT = 0x3e; // >
const SLASH = 0x2f; // /
const BANG = 0x21; // !
const QUESTION = 0x3f; // ?
const EQUALS = 0x3d; // =
const QUOTE = 0x22; // "
const APOS = 0x27; // '

type Tree = Record<string, unknown>;

// As the SDK decodes entities: the five named ones, numeric references, and '' for any other name.
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#(\d{1,7})|([a-zA-Z][a-zA-Z0-9]{0,30}));/g;

/**
 * A text of the page as a string of its own. V8 makes a slice of 13 characters or more a view of
 * the whole string it was cut from, so one value kept for the run (a folder name, an ARN in the
 * IAM snapshot) would keep its whole page alive (a million S3 keys: hundreds of MB). Cutting a
 * fresh concatenation makes V8 copy just that text first.
 */
function detached(text: string): string {
  return text.length < 13 ? text : `<${text}`.slice(1);
}

/** The text with its entities decoded as the SDK decodes them; with `own`, a text of its own either way (see detached). */
export function decodeEntities(text: string, own: boolean): string {
  if (!text.includes('&')) return own ? detached(text) : text;
  return text.replace(ENTITY, (_, hex: string | undefined, dec: string | undefined, named: string) => {
    if (hex) return String.fromCharCode(parseInt(hex, 16));
    if (dec) return String.fromCharCode(parseInt(dec, 10));
    // Looked up as the SDK looks it up (a name of Object.prototype included), so the text is the same.
    return ENTITIES[named] ?? '';
  });
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;

/** Whitespace text with a line break: the SDK drops it (the indentation between elements). */
const isLayout = (text: string): boolean => text.includes('\n') && text.trim() === '';

/**
 * Names an object key may take here: not `__proto__` nor any other name of Object.prototype, which
 * the SDK's parser treats specially (or by accident).
 */
const isPlainName = (name: string): boolean => name !== '' && !(name in Object.prototype);

/**
 * Tag names, kept so that each is one string: a tree's keys are then the same strings page after
 * page (no lookup of a fresh slice per element). A few hundred names make up AWS's answers.
 */
const KNOWN_NAMES_LIMIT = 4096;
const knownNames = new Map<number, string[]>();
let knownNameCount = 0;

/**
 * The tag name at [start, end) of `x`, or undefined when it is not a plain name or is `#text` (an
 * element of that name would hold the place of text, which the SDK folds without looking inside).
 */
function tagName(x: string, start: number, end: number): string | undefined {
  const key = (end - start) * 0x10000 + x.charCodeAt(start) * 0x100 + (x.charCodeAt(end - 1) & 0xff);
  const candidates = knownNames.get(key);
  if (candidates) for (const name of candidates) if (name.length === end - start && x.startsWith(name, start)) return name;
  const name = detached(x.slice(start, end));
  if (!isPlainName(name) || name === '#text') return undefined;
  if (knownNameCount < KNOWN_NAMES_LIMIT) {
    knownNameCount++;
    if (candidates) candidates.push(name);
    else knownNames.set(key, [name]);
  }
  return name;
}

/** An element being read: its name, its attributes, its texts and its children (name, value pairs). */
interface Open {
  tag: string;
  attrs: Tree | undefined;
  texts: string[];
  children: unknown[];
}

/**
 * What getValueFromTextNode makes of a child: an element with text and attributes (or text among
 * elements) stands for its text alone.
 */
function textOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null && (value as Tree)['#text'] !== undefined ? (value as Tree)['#text'] : value;
}

/** An element's value, as the SDK's parser builds it, its children already as getValueFromTextNode leaves them. */
function valueOf(element: Open): unknown {
  const { attrs, texts, children } = element;
  if (attrs === undefined && children.length === 0) {
    if (texts.length === 0) return '';
    const text = texts.length === 1 ? (texts[0] as string) : texts.join('');
    return isLayout(text) ? '' : text;
  }
  const tree: Tree = {};
  for (const text of texts) if (!isLayout(text)) tree['#text'] = '#text' in tree ? `${tree['#text'] as string}${text}` : text;
  for (let k = 0; k < children.length; k += 2) {
    const tag = children[k] as string;
    const value = textOf(children[k + 1]);
    if (!(tag in tree)) tree[tag] = value;
    else if (Array.isArray(tree[tag])) (tree[tag] as unknown[]).push(value);
    else tree[tag] = [tree[tag], value];
  }
  if (attrs) for (const name in attrs) tree[name] = attrs[name];
  return tree;
}

/** The root's value, as the SDK's parseXml returns it: its own text (if any) under its own name. */
function rootValue(tag: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const tree = value as Tree;
  if (tree['#text']) {
    tree[tag] = tree['#text'];
    delete tree['#text'];
  }
  return tree;
}

/**
 * What the SDK's XmlShapeDeserializer.parseXml returns for `input` (the root element's value, text
 * nodes folded), or undefined when the text is outside what this reader covers. `ownTexts: false`
 * leaves texts as views of the page (see detached): for a tree that is copied anyway, as a worker's
 * answer is when it is handed to the main thread (a million S3 keys: about 1 s less CPU).
 */
export function readXml(input: string, ownTexts = true): unknown {
  if (input.length === 0) return {};
  const x = input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input;
  const end = x.length;
  let i = 0;
  // Before the root: whitespace and processing instructions (the XML declaration).
  for (;;) {
    while (i < end && isSpace(x.charCodeAt(i))) i++;
    if (x.charCodeAt(i) !== LT) return undefined;
    if (x.charCodeAt(i + 1) !== QUESTION) break;
    const close = x.indexOf('?>', i + 2);
    if (close < 0) return undefined;
    i = close + 2;
  }

  // The elements open around `i`, outermost first; those deeper than `depth` are kept for reuse.
  const open: Open[] = [];
  let depth = -1;
  while (i < end) {
    const c = x.charCodeAt(i);
    if (c !== LT) {
      const next = x.indexOf('<', i);
      if (depth < 0 || next < 0) return undefined;
      (open[depth] as Open).texts.push(decodeEntities(x.slice(i, next), ownTexts));
      i = next;
      continue;
    }
    const after = x.charCodeAt(i + 1);
    if (after === SLASH) {
      if (depth < 0) return undefined;
      const element = open[depth] as Open;
      const tag = element.tag;
      if (x.startsWith(tag, i + 2) && x.charCodeAt(i + 2 + tag.length) === GT) i += tag.length + 3;
      else {
        const close = x.indexOf('>', i + 2);
        if (close < 0 || x.slice(i + 2, close).trim() !== tag) return undefined;
        i = close + 1;
      }
      const value = valueOf(element);
      depth--;
      if (depth < 0) return rootValue(tag, value);
      (open[depth] as Open).children.push(tag, value);
      continue;
    }
    if (after === BANG || after === QUESTION) {
      if (depth < 0) return undefined;
      if (x.startsWith('<![CDATA[', i)) {
        const close = x.indexOf(']]>', i + 9);
        if (close < 0) return undefined;
        const text = x.slice(i + 9, close);
        (open[depth] as Open).texts.push(ownTexts ? detached(text) : text);
        i = close + 3;
      } else {
        const [opening, closing] = after === QUESTION ? ['<?', '?>'] : ['<!--', '-->'];
        if (!x.startsWith(opening, i)) return undefined;
        const close = x.indexOf(closing, i + opening.length);
        if (close < 0) return undefined;
        i = close + closing.length;
      }
      continue;
    }

    // A start tag: its name ends at whitespace, `>` or `/`; then attributes, `name="value"`.
    let j = i + 1;
    for (let d = x.charCodeAt(j); j < end && d !== GT && d !== SLASH && !isSpace(d); d = x.charCodeAt(++j));
    if (j >= end || j === i + 1) return undefined;
    const tag = tagName(x, i + 1, j);
    if (tag === undefined) return undefined;
    let attrs: Tree | undefined;
    for (;;) {
      while (j < end && isSpace(x.charCodeAt(j))) j++;
      const d = x.charCodeAt(j);
      if (d === GT || d === SLASH || j >= end) break;
      const nameStart = j;
      for (let e = d; j < end && e !== EQUALS && e !== GT && e !== SLASH && e !== QUESTION && !isSpace(e); e = x.charCodeAt(++j));
      const name = detached(x.slice(nameStart, j));
      while (j < end && isSpace(x.charCodeAt(j))) j++;
      if (!isPlainName(name) || x.charCodeAt(j) !== EQUALS) return undefined;
      j++;
      while (j < end && isSpace(x.charCodeAt(j))) j++;
      const quote = x.charCodeAt(j);
      if (quote !== QUOTE && quote !== APOS) return undefined;
      const close = x.indexOf(quote === QUOTE ? '"' : "'", j + 1);
      if (close < 0) return undefined;
      (attrs ??= {})[name] = decodeEntities(x.slice(j + 1, close), ownTexts);
      j = close + 1;
    }
    if (j >= end) return undefined;
    if (x.charCodeAt(j) === SLASH) {
      if (x.charCodeAt(j + 1) !== GT) return undefined;
      i = j + 2;
      const value = attrs ?? '';
      if (depth < 0) return rootValue(tag, value);
      (open[depth] as Open).children.push(tag, value);
      continue;
    }
    i = j + 1;
    depth++;
    const element = open[depth];
    if (element) {
      element.tag = tag;
      element.attrs = attrs;
      element.texts.length = 0;
      element.children.length = 0;
    } else open[depth] = { tag, attrs, texts: [], children: [] };
  }
  return undefined;
}

/** The part of an SDK XML deserialiser this module replaces. */
interface XmlDeserializer {
  parseXml(xml: string): unknown;
}

/**
 * Makes an SDK client read the XML of its answers with readXml (the SDK's parser still reads what
 * readXml gives up on). For the query protocol (IAM, STS) and REST-XML (S3, S3 Control); any other
 * client, or an SDK whose deserialiser no longer has this shape, is left as it is. `ownTexts` as
 * for readXml.
 */
export function useXmlReader(client: { config: unknown }, ownTexts = true): boolean {
  const protocol = (client.config as { protocol?: { deserializer?: unknown } }).protocol;
  // REST-XML wraps its XML deserialiser in one that reads HTTP bindings first.
  const outer = protocol?.deserializer as (XmlDeserializer & { codecDeserializer?: unknown }) | undefined;
  const deserializer = (typeof outer?.parseXml === 'function' ? outer : outer?.codecDeserializer) as XmlDeserializer | undefined;
  if (typeof deserializer?.parseXml !== 'function') return false;
  const sdkParseXml = deserializer.parseXml.bind(deserializer);
  deserializer.parseXml = (xml) => {
    const tree = readXml(xml, ownTexts);
    return tree === undefined ? sdkParseXml(xml) : tree;
  };
  return true;
}
