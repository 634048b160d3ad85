import type { EventFields as DefaultEventFields } from './default-catalog.gen.js'
import type { EventFieldMap } from './types.js'

/**
 * Event families: the events whose names match a pattern, typed from a
 * generated catalog (the default one unless `F` names another, such as a
 * generated module's `EventFields`). Patterns are the globs used everywhere
 * else (`*` is any run of characters): `'*_failed'`, `'order_*'`, or a union
 * of them.
 */

/** True when `Name` matches the glob `Pattern`, as event patterns match at runtime. */
type Matches<Name extends string, Pattern extends string> =
  Pattern extends `${infer Head}*${infer Rest}`
    ? Name extends `${Head}${infer Tail}` ? MatchesSomeSuffix<Tail, Rest> : false
    : Name extends Pattern ? true : false

/** True when some suffix of `Text` (all of it included) matches `Rest`: what a `*` may swallow. */
type MatchesSomeSuffix<Text extends string, Rest extends string> =
  Matches<Text, Rest> extends true ? true : Text extends `${string}${infer Shorter}` ? (Text extends '' ? false : MatchesSomeSuffix<Shorter, Rest>) : false

/** The events of the catalog whose names match `Pattern`: `EventsMatching<'*_failed'>`. */
export type EventsMatching<Pattern extends string, F extends EventFieldMap = DefaultEventFields> = Pattern extends string
  ? { [E in keyof F & string]: Matches<E, Pattern> extends true ? E : never }[keyof F & string]
  : never

/**
 * The events matching `Pattern` that a record with `Fields` satisfies (every
 * required field given, with a declared type): a helper that logs one fixed
 * set of fields can take any of them, and logging compiles without casts.
 * `EventsWith<OrderFields, 'order_*'>` leaves out `order_fulfill_failed`,
 * which also requires `reason`.
 */
export type EventsWith<Fields, Pattern extends string = '*', F extends EventFieldMap = DefaultEventFields> = {
  [E in EventsMatching<Pattern, F>]: Fields extends F[E & keyof F] ? E : never
}[EventsMatching<Pattern, F>]

/** The fields one object needs to be logged as any event of the family `E` (every member's declared fields at once). */
export type FamilyFields<E extends keyof F, F extends EventFieldMap = DefaultEventFields> = AllOf<F[E]>

/** The intersection of a union's members. */
type AllOf<U> = (U extends unknown ? (member: U) => void : never) extends (all: infer All) => void ? All : never
