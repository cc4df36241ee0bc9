import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import type { MaillageMap } from '../../shared/model'
import { docToMap } from '../../shared/ydoc/mapDoc'

const SETTLE_MS = 300

/** The room's map as the model sees it, read again a moment after the document stops changing. */
export function useMapSnapshot(doc: Y.Doc): MaillageMap {
	const [map, setMap] = useState(() => docToMap(doc).map)
	useEffect(() => {
		let timer: ReturnType<typeof setTimeout> | undefined
		const onUpdate = () => {
			clearTimeout(timer)
			timer = setTimeout(() => setMap(docToMap(doc).map), SETTLE_MS)
		}
		setMap(docToMap(doc).map)
		doc.on('update', onUpdate)
		return () => {
			clearTimeout(timer)
			doc.off('update', onUpdate)
		}
	}, [doc])
	return map
}
