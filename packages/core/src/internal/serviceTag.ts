/**
 * A `Context.Tag` class made at run time with static members, for the tag factories
 * (`TokenProvider.Tag`, `BearerHttpClient.Tag`): users extend the result as they extend
 * `Context.Tag`, and the statics (layers, accessors) build into the tag itself. A subclass
 * shares the tag's key, so the statics' layers provide exactly what `yield* Subclass` reads.
 */
import { Context } from "effect"

/** @internal */
export const make = <Self, Service, Statics extends object>(
  key: string,
  statics: (tag: Context.Tag<Self, Service>) => Statics
): Context.TagClass<Self, string, Service> & Statics => {
  const tag = Context.Tag(key)<Self, Service>()
  return Object.assign(tag, statics(tag))
}
