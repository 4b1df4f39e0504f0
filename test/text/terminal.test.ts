import { describe, expect, it } from 'vitest';
import { escapeBlock, escapeLine } from '../../src/text/terminal.js';

describe('terminal escaping', () => {
  it('an ANSI sequence that clears the screen is printed as visible text', () => {
    expect(escapeLine('bad\u001b[2J\u001b[Hname')).toBe('bad\\x1b[2J\\x1b[Hname');
  });

  it('a value cannot start a new line (no forged "succeeded" line)', () => {
    expect(escapeLine('oops\r\nTarget prod (aws-account): succeeded')).toBe('oops\\r\\nTarget prod (aws-account): succeeded');
  });

  it('C1 controls and line separators are escaped; ordinary text, accents and emoji are not', () => {
    expect(escapeLine('a\u009bb\u2028c é 😀')).toBe('a\\x9bb\\u2028c é 😀');
  });

  it('a block keeps its own newlines and tabs but not escapes', () => {
    expect(escapeBlock('line 1\n\tline 2\u001b[31m')).toBe('line 1\n\tline 2\\x1b[31m');
  });
});
