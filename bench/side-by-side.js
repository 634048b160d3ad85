// The in-process figures of one bench run per Node line, merged into one
// table a column per line: raw pino's ns/op (what every ratio divides by),
// every other contender's ratio to it, then the budgets.

/**
 * `runs`: `[{ label, result }]`, `result` being a run's --json figures
 * (`{ scenarios, budgets }`), or `[{ label, unavailable: reason }]` for a
 * line that could not run. Rows keep the order in which they first appear.
 * Returns `{ labels, rows: [{ scenario, contender, cells }], budgets: [{ budget, cells }] }`.
 */
export function sideBySide (runs) {
  const rows = new Map()
  const budgets = new Map()
  runs.forEach((run, column) => {
    for (const row of run.result?.scenarios ?? []) {
      const key = `${row.scenario}\u0000${row.contender}`
      if (!rows.has(key)) rows.set(key, { scenario: row.scenario, contender: row.contender, cells: runs.map(() => 'n/a') })
      rows.get(key).cells[column] = scenarioCell(row)
    }
    for (const line of run.result?.budgets ?? []) {
      if (!budgets.has(line.budget)) budgets.set(line.budget, { budget: line.budget, cells: runs.map(() => 'n/a') })
      budgets.get(line.budget).cells[column] = budgetCell(line)
    }
  })
  return { labels: runs.map((run) => run.label), rows: [...rows.values()], budgets: [...budgets.values()] }
}

function scenarioCell (row) {
  if (row.unavailable !== undefined) return 'n/a'
  if (row.contender === 'pino') return `${row.nsPerOp < 100 ? row.nsPerOp.toFixed(1) : Math.round(row.nsPerOp).toLocaleString('en')} ns`
  return `${row.ratio.toFixed(2)}x`
}

function budgetCell (line) {
  if (line.status === 'n/a') return 'n/a'
  return `${line.ratio !== undefined ? `${line.ratio.toFixed(2)}x` : line.value} ${line.status}`
}

/** The merged table as text lines, columns aligned. */
export function formatSideBySide ({ labels, rows, budgets }) {
  const lines = []
  const widths = labels.map((label, i) => Math.max(label.length, ...rows.map((r) => r.cells[i].length), ...budgets.map((b) => b.cells[i].length)) + 2)
  const cells = (values) => values.map((value, i) => value.padStart(widths[i])).join('')
  // The budgets' names span both label columns, so the figures of both tables line up.
  const first = Math.max(...rows.map((r) => r.scenario.length), 8) + 2
  const second = Math.max(...rows.map((r) => r.contender.length + 2), 11, ...budgets.map((b) => b.budget.length + 2 - first))
  lines.push(`${'scenario'.padEnd(first)}${'contender'.padEnd(second)}${cells(labels)}`)
  for (const row of rows) lines.push(`${row.scenario.padEnd(first)}${row.contender.padEnd(second)}${cells(row.cells)}`)
  if (budgets.length > 0) {
    lines.push('', `${'budget (DESIGN.md)'.padEnd(first + second)}${cells(labels)}`)
    for (const line of budgets) lines.push(`${line.budget.padEnd(first + second)}${cells(line.cells)}`)
  }
  return lines
}
