import { useState } from 'react'
import type { Editor } from 'tldraw'
import type * as Y from 'yjs'
import { recordsMap } from '../../shared/ydoc/recordCodec'
import { writeMapToDoc } from '../../shared/ydoc/mapDoc'
import { fitMap } from '../canvas/fit'
import { useI18n } from '../i18n'
import { ImportDialog } from './ImportDialog'
import { Modal } from './Modal'
import { usePopover } from './usePopover'

const hasShapes = (doc: Y.Doc) => [...recordsMap(doc).keys()].some((id) => id.startsWith('shape:'))

/** Facilitator actions that replace the whole map: import a file, load the demo map. */
export function MapMenu({ editor, doc, room, token }: { editor: Editor; doc: Y.Doc; room: string; token: string }) {
	const { t } = useI18n()
	const { open, setOpen, ref } = usePopover()
	const [dialog, setDialog] = useState<'import' | 'confirm-demo'>()
	const [loading, setLoading] = useState(false)

	const zoomToMap = () => requestAnimationFrame(() => fitMap(editor))
	const loadDemo = async () => {
		setLoading(true)
		try {
			// The demo map is only needed on request: keep it out of the main bundle.
			const { chimayMap } = await import('../../shared/demo/chimay')
			writeMapToDoc(doc, chimayMap)
			zoomToMap()
		} finally {
			setLoading(false)
			setDialog(undefined)
		}
	}
	return (
		<div ref={ref} className="popover-anchor">
			<button type="button" className="toolbar-button" onClick={() => setOpen(!open)} aria-expanded={open} data-testid="map-menu">
				{t('mapMenu')} ▾
			</button>
			{open && (
				<div className="popover popover--menu" role="menu">
					<button type="button" role="menuitem" onClick={() => (setOpen(false), setDialog('import'))}>
						{t('importMenuItem')}
					</button>
					<button
						type="button"
						role="menuitem"
						data-testid="load-demo"
						onClick={() => {
							setOpen(false)
							if (hasShapes(doc)) setDialog('confirm-demo')
							else void loadDemo()
						}}
					>
						{t('loadDemo')}
					</button>
					<a role="menuitem" className="popover__link" href={`/room/${room}/projector#token=${encodeURIComponent(token)}`} target="_blank" rel="noreferrer" onClick={() => setOpen(false)} data-testid="open-projector">
						{t('projectorOpen')} ↗
					</a>
				</div>
			)}
			{dialog === 'import' && <ImportDialog room={room} token={token} onClose={() => setDialog(undefined)} onImported={zoomToMap} />}
			{dialog === 'confirm-demo' && (
				<Modal
					title={t('loadDemo')}
					onClose={() => setDialog(undefined)}
					footer={
						<>
							<button type="button" className="button" onClick={() => setDialog(undefined)}>
								{t('cancel')}
							</button>
							<button type="button" className="button button--danger" disabled={loading} onClick={() => void loadDemo()}>
								{t('replaceMap')}
							</button>
						</>
					}
				>
					<p>{t('loadDemoConfirm')}</p>
				</Modal>
			)}
		</div>
	)
}
