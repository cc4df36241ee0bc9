import type { MaillageMap } from '../model'
import { chimayMap } from './chimay'

export { chimayMap } from './chimay'

/** Demo maps by name, e.g. to seed a new room or a screenshot. */
export const demoMaps: Readonly<Record<string, MaillageMap>> = { chimay: chimayMap }
