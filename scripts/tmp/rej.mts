import { Effect, Schema } from "effect"
class E1 extends Schema.TaggedError<E1>()("E1", { x: Schema.String }) {}
try { await Effect.runPromise(Effect.fail(new E1({ x: "a" }))) } catch (e) { console.log(e instanceof E1, (e as any)._tag, (e as any).message, Object.keys(e as any)) }
