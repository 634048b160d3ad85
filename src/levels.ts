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
