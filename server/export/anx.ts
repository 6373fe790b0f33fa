// i2 Analyst's Notebook chart XML (ANX): Chart with strength, grade, attribute-class, entity-type and
// link-type collections, a Summary carrying the analysis record, and a ChartItemCollection whose items
// are entities (End > Entity > Icon > IconStyle) and links (Link > LinkStyle) joined by EntityId.
// The 3x5x2 grading maps onto ANB's three grades: GradeOne source (1-3), GradeTwo intelligence (A-E),
// GradeThree handling (P/C). Items resting on a C report say so in their description and attributes.
import { HANDLING_LABELS, INTEL_ASSESSMENTS, INTEL_LABELS, SOURCE_LABELS } from '../domain/model.ts';
import type { ExportData, ExportNode } from './collect.ts';
import { attrs } from './xml.ts';

const ATTRIBUTE_CLASSES = ['Grading', 'Handling', 'Conditions', 'Reports', 'Key'] as const;

function gradeIndexes(grade: string, handling: 'P' | 'C' | null): Record<string, number | undefined> {
  const m = /^([123])([A-E])$/.exec(grade);
  return {
    GradeOneIndex: m ? Number(m[1]) - 1 : undefined,
    GradeTwoIndex: m ? INTEL_ASSESSMENTS.indexOf(m[2] as (typeof INTEL_ASSESSMENTS)[number]) : undefined,
    GradeThreeIndex: handling === 'P' ? 0 : handling === 'C' ? 1 : undefined,
  };
}

function attributeCollection(values: Array<[string, string | number | null]>, indent: string): string[] {
  const set = values.filter(([, v]) => v !== null && v !== '');
  if (!set.length) return [];
  return [
    `${indent}<AttributeCollection>`,
    ...set.map(
      ([cls, v]) =>
        `${indent}  <Attribute${attrs({ AttributeClass: cls, AttributeClassReference: `AC_${cls}`, Value: v })}/>`,
    ),
    `${indent}</AttributeCollection>`,
  ];
}

/** Positions from the chart; a grid for entities without one (ANB needs X and Y on every End). */
function place(nodes: ExportNode[]): Map<string, { x: number; y: number }> {
  const out = new Map<string, { x: number; y: number }>();
  const cols = Math.max(1, Math.ceil(Math.sqrt(nodes.length)));
  nodes.forEach((n, i) => {
    out.set(
      n.id,
      n.x !== null && n.y !== null
        ? { x: Math.round(n.x), y: Math.round(n.y) }
        : { x: (i % cols) * 150, y: Math.floor(i / cols) * 150 },
    );
  });
  return out;
}

export function toAnx(data: ExportData): string {
  const entityTypes = [...new Set(data.nodes.map((n) => n.type))].sort();
  const linkTypes = [...new Set(data.links.map((l) => l.type))].sort();
  const intId = new Map(data.nodes.map((n, i) => [n.id, i + 1]));
  const pos = place(data.nodes);
  const metricClass = data.metric ? data.metric.replace(/[^A-Za-z0-9_ -]/g, '_').slice(0, 60) : null;
  const classes: string[] = [...ATTRIBUTE_CLASSES, ...(metricClass ? [metricClass] : [])];

  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<Chart IdReferenceLinking="false" Rigorous="true">',
    '  <StrengthCollection>',
    '    <Strength Id="Default" Name="Confirmed" DotStyle="DotStyleSolid"/>',
    '    <Strength Id="Ungraded" Name="Unconfirmed" DotStyle="DotStyleDashed"/>',
    '  </StrengthCollection>',
    '  <GradeOne>',
    '    <StringCollection>',
    ...([1, 2, 3] as const).map(
      (s) => `      <String${attrs({ Id: `G1_${s}`, Text: `${s} ${SOURCE_LABELS[s]}` })}/>`,
    ),
    '    </StringCollection>',
    '  </GradeOne>',
    '  <GradeTwo>',
    '    <StringCollection>',
    ...INTEL_ASSESSMENTS.map(
      (a) => `      <String${attrs({ Id: `G2_${a}`, Text: `${a} ${INTEL_LABELS[a]}` })}/>`,
    ),
    '    </StringCollection>',
    '  </GradeTwo>',
    '  <GradeThree>',
    '    <StringCollection>',
    ...(['P', 'C'] as const).map(
      (h) => `      <String${attrs({ Id: `G3_${h}`, Text: `${h} ${HANDLING_LABELS[h]}` })}/>`,
    ),
    '    </StringCollection>',
    '  </GradeThree>',
    '  <AttributeClassCollection>',
    ...classes.map(
      (c) =>
        `    <AttributeClass${attrs({ Id: `AC_${c}`, Name: c, Type: c === metricClass ? 'AttNumber' : 'AttText', UserCanAdd: 'true', UserCanRemove: 'true', ShowValue: 'true', Visible: 'true' })}/>`,
    ),
    '  </AttributeClassCollection>',
    '  <EntityTypeCollection>',
    ...entityTypes.map((t) => `    <EntityType${attrs({ Id: `ET_${t}`, Name: t, IconFile: t })}/>`),
    '  </EntityTypeCollection>',
    '  <LinkTypeCollection>',
    ...linkTypes.map((t) => `    <LinkType${attrs({ Id: `LT_${t}`, Name: t, Colour: 0 })}/>`),
    '  </LinkTypeCollection>',
    '  <Summary>',
    '    <FieldCollection>',
    `      <Field${attrs({ Type: 'SummaryFieldTitle', Field: 'Linkchart export' })}/>`,
    `      <Field${attrs({ Type: 'SummaryFieldComments', Field: data.record.handling.note })}/>`,
    `      <Field${attrs({ Type: 'SummaryFieldAuthor', Field: data.record.exportedBy })}/>`,
    '    </FieldCollection>',
    '    <CustomPropertyCollection>',
    `      <CustomProperty${attrs({ Name: 'AnalysisRecord', Type: 'String', Value: JSON.stringify(data.record) })}/>`,
    `      <CustomProperty${attrs({ Name: 'DataVersion', Type: 'String', Value: String(data.record.dataVersion) })}/>`,
    '    </CustomPropertyCollection>',
    '  </Summary>',
    '  <ChartItemCollection>',
  ];
  for (const n of data.nodes) {
    const p = pos.get(n.id)!;
    const description = n.handling === 'C' ? `HANDLING CODE C: ${n.conditions ?? ''}` : undefined;
    out.push(
      `    <ChartItem${attrs({ Id: `N${intId.get(n.id)}`, Label: n.label, Description: description, SourceReference: n.reports.join(' ') || undefined, ...gradeIndexes(n.grade, n.handling) })}>`,
      `      <End${attrs({ X: p.x, Y: p.y, Z: 0 })}>`,
      `        <Entity${attrs({ EntityId: intId.get(n.id), Identity: `${n.type}:${n.key}`, LabelIsIdentity: 'false' })}>`,
      '          <Icon>',
      `            <IconStyle${attrs({ Type: n.type, EntityTypeReference: `ET_${n.type}` })}/>`,
      '          </Icon>',
      '        </Entity>',
      '      </End>',
      ...attributeCollection(
        [
          ['Grading', n.grade],
          ['Handling', n.handling],
          ['Conditions', n.conditions],
          ['Reports', n.reports.join(' ')],
          ['Key', n.key],
          ...(metricClass ? [[metricClass, n.score] as [string, number | null]] : []),
        ],
        '      ',
      ),
      '    </ChartItem>',
    );
  }
  data.links.forEach((l, i) => {
    const description = l.handling === 'C' ? `HANDLING CODE C: ${l.conditions ?? ''}` : undefined;
    const when = l.firstSeen
      ? { DateSet: 'true', TimeSet: 'true', DateTime: l.firstSeen.replace(/Z$/, '').slice(0, 19) }
      : {};
    out.push(
      `    <ChartItem${attrs({ Id: `L${i + 1}`, Label: l.weight !== 1 ? `${l.type} (${l.weight})` : l.type, Description: description, SourceReference: l.reports.join(' ') || undefined, ...when, ...gradeIndexes(l.grade, l.handling) })}>`,
      `      <Link${attrs({ End1Id: intId.get(l.from), End2Id: intId.get(l.to) })}>`,
      `        <LinkStyle${attrs({ Strength: l.grade === 'ungraded' ? 'Ungraded' : 'Default', Type: l.type, LinkTypeReference: `LT_${l.type}`, ArrowStyle: l.directed ? 'ArrowOnHead' : 'ArrowNone', LineWidth: Math.max(1, Math.min(10, Math.round(Math.log2(l.weight + 1)))) })}/>`,
      '      </Link>',
      ...attributeCollection(
        [
          ['Grading', l.grade],
          ['Handling', l.handling],
          ['Conditions', l.conditions],
          ['Reports', l.reports.join(' ')],
        ],
        '      ',
      ),
      '    </ChartItem>',
    );
  });
  out.push('  </ChartItemCollection>', '</Chart>', '');
  return out.join('\n');
}
