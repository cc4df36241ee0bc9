/// <reference lib="webworker" />
import { autoLayout } from '../../shared/layout'
import type { MaillageMap } from '../../shared/model'

export interface LayoutRequest {
	map: MaillageMap
	pinned: string[]
}
export type LayoutReply = { ok: true; placements: Awaited<ReturnType<typeof autoLayout>> } | { ok: false; message: string }

// ELK's bundle takes over `self.onmessage` when it loads in a worker: ours replaces it, after the imports.
self.onmessage = (event: MessageEvent<LayoutRequest>) => {
	const { map, pinned } = event.data
	autoLayout(map, { pinned }).then(
		(placements) => self.postMessage({ ok: true, placements } satisfies LayoutReply),
		(error: unknown) => self.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) } satisfies LayoutReply),
	)
}
