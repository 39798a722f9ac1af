import type { Command } from 'commander';
import { withContext } from '../context.ts';

export function registerConceptCommands(program: Command): void {
  const concept = program.command('concept').description('Das Konzept anzeigen / show the concept');
  concept
    .command('show')
    .description(
      'Ziele, Handlungsfelder, Maßnahmen und Partner anzeigen / print goals, action fields, measures, partners',
    )
    .option('--json', 'das ganze Konzept als JSON / the whole concept as JSON')
    .action(async (opts: { json?: boolean }) => {
      await withContext(({ concept: { concept: c } }) => {
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(c, null, 2)}\n`);
          return;
        }
        const out: string[] = [`${c.document.title} — ${c.city.name}`, '', 'Oberziele:'];
        for (const g of c.overarchingGoals) out.push(`  • ${g.shortName}: ${g.name}`);
        out.push('', 'Handlungsfelder:');
        for (const f of c.actionFields) {
          out.push(
            `  ${String(f.number).padStart(2)}. ${f.name} [${f.key}] — ${f.measures.length} Maßnahmen`,
          );
          for (const m of f.measures) out.push(`      ${m.id}: ${m.text}`);
        }
        out.push('', 'Partnerstädte:');
        for (const p of c.partnerCities) out.push(`  ${p.name} (${p.countryName}, seit ${p.since})`);
        out.push('', 'Befreundete Städte:');
        out.push(`  ${c.friendCities.map((f) => `${f.name} (${f.countryName})`).join(', ')}`);
        out.push('', 'Netzwerke:');
        out.push(`  ${c.networks.map((n) => n.fullName ?? n.name).join(', ')}`);
        process.stdout.write(`${out.join('\n')}\n`);
      });
    });
}
