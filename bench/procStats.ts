import { readFileSync } from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
	// The command name may contain spaces: fields are counted after its closing parenthesis.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
	const utime = Number(fields[11])
	const stime = Number(fields[12])
	return (utime + stime) / TICKS_PER_SECOND
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

/** Resident memory of the server's processes (one, or two in scale-out) in MiB, from VmRSS in /proc/<pid>/status. */
export function rssMiB(pids: number[]): number {
	return sum(
		pids.map((pid) => {
			const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
			if (!match) throw new Error(`no VmRSS for process ${pid}`)
			return Number(match[1]) / 1024
		}),
	)
}

/** Samples the server's processes between two points of a scenario. */
export function cpuMeter(pids: number[]): { stop(): number } {
	const total = () => sum(pids.map(cpuSeconds))
	const start = total()
	return { stop: () => total() - start }
}
