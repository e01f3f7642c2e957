// Reads a JSON array of PromQL expressions on stdin; prints a JSON array with, per expression,
// the parse errors (lezer error nodes, with their offset) and the metric names it reads.
import { parser } from '@prometheus-io/lezer-promql';

const input = JSON.parse(await new Promise((resolve) => {
  let text = '';
  process.stdin.on('data', (chunk) => { text += chunk; });
  process.stdin.on('end', () => resolve(text));
}));
const result = input.map((expr) => {
  const tree = parser.parse(expr);
  const errors = [];
  const metrics = new Set();
  tree.iterate({
    enter(node) {
      if (node.type.isError) {
        errors.push(`offset ${node.from}: unexpected ${JSON.stringify(expr.slice(node.from, node.to + 1) || 'end')}`);
      }
      if (node.name === 'VectorSelector') {
        const name = node.node.getChild('Identifier');
        if (name) metrics.add(expr.slice(name.from, name.to));
      }
    },
  });
  return { expr, errors, metrics: [...metrics].sort() };
});
process.stdout.write(JSON.stringify(result));
