import { useMemo, useRef, useState, type Ref } from 'react'
import type * as Y from 'yjs'
import { egoMap } from '../../shared/ego'
import { exportFormats, exportMap, type ExportFormat } from '../../shared/formats'
import type { MaillageMap } from '../../shared/model'
import { organisationKind } from '../../shared/model/vocabulary'
import { INVISIBLE_OPACITY, kindColour, strengthStroke } from '../../shared/tldraw/partnershipStyle'
import { docToMap } from '../../shared/ydoc/mapDoc'
import { organisationKindColour, tldrawColour } from '../canvas/colours'
import { useI18n } from '../i18n'
import { download, fileBaseName } from '../lib/download'
import { Modal } from './Modal'

const MARGIN = 40
const strokeWidth = { s: 2, m: 3.5, l: 5, xl: 7 } as const
const dashArray = { solid: undefined, dashed: '10 7', dotted: '2 6', draw: undefined, none: undefined } as const
const MAX_TITLE = 24
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

/** The ego network drawn as the thesis draws it: the organisation in the centre, partners around, lines by strength. */
function EgoSvg({ ego, centre, svgRef }: { ego: MaillageMap; centre: string; svgRef: Ref<SVGSVGElement> }) {
	const { label } = useI18n()
	const boxes = Object.values(ego.layout)
	const minX = Math.min(...boxes.map((b) => b.x)) - MARGIN
	const minY = Math.min(...boxes.map((b) => b.y)) - MARGIN
	const width = Math.max(...boxes.map((b) => b.x + b.w)) - minX + MARGIN
	const height = Math.max(...boxes.map((b) => b.y + b.h)) - minY + MARGIN
	const centreOf = (id: string) => {
		const p = ego.layout[id]
		return p ? { x: p.x + p.w / 2, y: p.y + p.h / 2 } : undefined
	}
	const middle = centreOf(centre) ?? { x: 0, y: 0 }
	// Parallel partnerships between the same pair bend apart, alternately on each side; links
	// between two partners bow away from the centre so that they do not run under it.
	const seen = new Map<string, number>()
	const lines = ego.partnerships.flatMap((p) => {
		const a = centreOf(p.from.organisation)
		const b = centreOf(p.to.organisation)
		if (!a || !b) return []
		const key = [p.from.organisation, p.to.organisation].sort().join('\u0000')
		const rank = seen.get(key) ?? 0
		seen.set(key, rank + 1)
		const length = Math.hypot(b.x - a.x, b.y - a.y) || 1
		const normal = { x: -(b.y - a.y) / length, y: (b.x - a.x) / length }
		const mid = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }
		const aroundCentre = p.from.organisation !== centre && p.to.organisation !== centre
		// Bow towards the side of the link away from the centre.
		const away = (mid.x - middle.x) * normal.x + (mid.y - middle.y) * normal.y >= 0 ? 1 : -1
		const bend = (aroundCentre ? away * length * 0.35 : 0) + (rank === 0 ? 0 : (rank % 2 ? 1 : -1) * Math.ceil(rank / 2) * 40)
		const control = { x: mid.x + normal.x * bend, y: mid.y + normal.y * bend }
		const { size, dash } = strengthStroke[p.strength]
		return [{ id: p.id, d: `M${a.x} ${a.y} Q${control.x} ${control.y} ${b.x} ${b.y}`, colour: tldrawColour(kindColour[p.kind]), width: strokeWidth[size], dash: dashArray[dash], opacity: p.visible ? 1 : INVISIBLE_OPACITY }]
	})
	return (
		<svg ref={svgRef} xmlns="http://www.w3.org/2000/svg" className="ego-svg" viewBox={`${minX} ${minY} ${width} ${height}`} width={width} height={height} data-testid="ego-svg" fontFamily="IBM Plex Sans, system-ui, sans-serif">
			<rect x={minX} y={minY} width={width} height={height} fill="#ffffff" />
			{lines.map((l) => (
				<path key={l.id} d={l.d} fill="none" stroke={l.colour} strokeWidth={l.width} strokeDasharray={l.dash} strokeLinecap="round" opacity={l.opacity} />
			))}
			{ego.organisations.map((o) => {
				const p = ego.layout[o.id]
				if (!p) return null
				const colour = tldrawColour(organisationKindColour[o.kind])
				const isCentre = o.id === centre
				return (
					<g key={o.id} data-testid="ego-organisation">
						<rect x={p.x} y={p.y} width={p.w} height={p.h} rx={10} fill={isCentre ? '#f4f7ff' : '#ffffff'} stroke={colour} strokeWidth={isCentre ? 4 : 2} />
						<rect x={p.x} y={p.y + 8} width={6} height={p.h - 16} rx={3} fill={colour} />
						<text x={p.x + 18} y={p.y + 30} fontSize={12} fill={colour} fontWeight={600}>
							{label(organisationKind.labels[o.kind])}
						</text>
						<text x={p.x + 18} y={p.y + 56} fontSize={isCentre ? 20 : 17} fontWeight={700} fill="#1f2933">
							{clip(o.shortName || o.name, MAX_TITLE)}
						</text>
						{o.shortName && (
							<text x={p.x + 18} y={p.y + 78} fontSize={12} fill="#66727f">
								{clip(o.name, 32)}
							</text>
						)}
					</g>
				)
			})}
		</svg>
	)
}

/** An SVG element as a PNG, drawn at twice its size. */
async function svgToPng(svg: SVGSVGElement): Promise<Blob> {
	const xml = new XMLSerializer().serializeToString(svg)
	const url = URL.createObjectURL(new Blob([xml], { type: 'image/svg+xml' }))
	try {
		const image = new Image()
		image.src = url
		await image.decode()
		const canvas = document.createElement('canvas')
		canvas.width = svg.width.baseVal.value * 2
		canvas.height = svg.height.baseVal.value * 2
		const context = canvas.getContext('2d')
		if (!context) throw new Error('no 2D canvas')
		context.drawImage(image, 0, 0, canvas.width, canvas.height)
		return await new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG encoding failed'))), 'image/png'))
	} finally {
		URL.revokeObjectURL(url)
	}
}

/** A separate view of one organisation's ego network, exportable like the whole map. */
export function EgoDialog({ doc, organisation, onClose }: { doc: Y.Doc; organisation: string; onClose(): void }) {
	const { t } = useI18n()
	const [depth, setDepth] = useState(1)
	const [failure, setFailure] = useState<string>()
	const svgRef = useRef<SVGSVGElement>(null)
	const ego = useMemo(() => egoMap(docToMap(doc).map, organisation, { depth }), [doc, organisation, depth])
	if (!ego) return null
	const centre = ego.organisations.find((o) => o.id === organisation)
	const base = `${fileBaseName(centre?.shortName || centre?.name || 'ego')}-ego`

	const exportData = (format: ExportFormat) => {
		const file = exportMap(ego, format)
		download(new Blob([file.body], { type: file.contentType }), `${base}.${file.extension}`)
	}
	const exportImage = (format: 'png' | 'svg') => {
		const svg = svgRef.current
		if (!svg) return
		setFailure(undefined)
		if (format === 'svg') return download(new Blob([new XMLSerializer().serializeToString(svg)], { type: 'image/svg+xml' }), `${base}.svg`)
		svgToPng(svg).then(
			(blob) => download(blob, `${base}.png`),
			(e: unknown) => setFailure(e instanceof Error ? e.message : String(e)),
		)
	}
	return (
		<Modal
			title={t('egoTitle', { name: centre?.shortName || centre?.name || '' })}
			onClose={onClose}
			testId="ego-dialog"
			wide
			footer={
				<>
					<span className="muted">{t('export')}</span>
					{(['png', 'svg'] as const).map((f) => (
						<button key={f} type="button" className="small-button" onClick={() => exportImage(f)} data-testid={`ego-export-${f}`}>
							{f.toUpperCase()}
						</button>
					))}
					{exportFormats.map((f) => (
						<button key={f} type="button" className="small-button" onClick={() => exportData(f)} data-testid={`ego-export-${f}`}>
							{f.toUpperCase()}
						</button>
					))}
					<span className="topbar__spacer" />
					<button type="button" className="button" onClick={onClose}>
						{t('close')}
					</button>
				</>
			}
		>
			<div className="segmented" role="radiogroup" aria-label={t('egoDepth')}>
				{[1, 2].map((d) => (
					<button key={d} type="button" role="radio" aria-checked={depth === d} className={depth === d ? 'on' : ''} onClick={() => setDepth(d)}>
						{t(d === 1 ? 'egoDepth1' : 'egoDepth2')}
					</button>
				))}
			</div>
			{ego.partnerships.length === 0 && <p className="muted">{t('egoLonely')}</p>}
			<div className="ego-view">
				<EgoSvg ego={ego} centre={organisation} svgRef={svgRef} />
			</div>
			{failure && <p className="error-text">{failure}</p>}
		</Modal>
	)
}
