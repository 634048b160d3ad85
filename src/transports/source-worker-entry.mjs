// The transport worker's entry when daslog runs from its TypeScript sources
// (a checkout, under tsx): a worker thread does not inherit the
// application's TypeScript loader, so it registers tsx for itself, then runs
// the same worker module the compiled package runs. Never used by the
// installed package, which runs dist/src/transports/worker-entry.js.
import { register } from 'tsx/esm/api'

register()
const { default: worker } = await import('./worker-entry.ts')
export default worker
