/** pino's standard levels, the only ones daslog's typed methods expose. */
export const levelValues = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60
} as const

export type LevelName = keyof typeof levelValues
export type LevelValue = (typeof levelValues)[LevelName]

export const levelNames = Object.keys(levelValues) as readonly LevelName[]

export function isLevelName (value: unknown): value is LevelName {
  return typeof value === 'string' && Object.hasOwn(levelValues, value)
}

/** The standard levels by value: most records carry one of them exactly. */
const namesByValue = new Map<number, LevelName>(levelNames.map((name) => [levelValues[name], name]))

/** The name of the highest standard level at or below `value` (trace for anything lower). */
export function levelNameOf (value: number): LevelName {
  const exact = namesByValue.get(value)
  if (exact !== undefined) return exact
  let name: LevelName = 'trace'
  for (const level of levelNames) if (levelValues[level] <= value) name = level
  return name
}
