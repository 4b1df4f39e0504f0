import type { ConnectorPlugin } from '../plugin-api/contract.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The parameter table of a plugin, as docs/<plugin>-parameters.md holds it: generated from the specs. */
export function parameterTableMarkdown(plugin: ConnectorPlugin): string {
  const rows = plugin.parameters.map(
    (p) => `| \`${p.name}\` | ${p.type} | ${p.mandatory ? 'yes' : 'no'} | ${p.default === undefined ? '' : `\`${String(p.default)}\``} | ${cell(p.description)} |`,
  );
  return [
    `# Parameters of the \`${plugin.name}\` connector`,
    '',
    `Generated from the code by \`npm run docs\`; \`connector info ${plugin.name}\` prints the same list.`,
    'Values are written as text in raito.yml: booleans as `true`/`false`, lists comma-separated, regular expressions matched against the whole name.',
    'A `regex-list` is split only at commas outside `{}`, `[]` and `()` (so `svc-[a-z]{1,10}` stays one expression; write `\\,` for a literal comma elsewhere), or written as a YAML list (`[a, b]` or one `- item` per line), whose items are taken as they are.',
    'An exclude list with an entry that matches no name of a run gets a warning on the stream, naming the parameter and the entry.',
    '',
    '| parameter | type | mandatory | default | description |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
