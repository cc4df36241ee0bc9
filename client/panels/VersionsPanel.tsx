import { useCallback, useEffect, useState } from 'react'
import type { Editor } from 'tldraw'
import type { VersionSummary } from '../../shared/api'
import { exportFormats, type ExportFormat } from '../../shared/formats'
import type { RoomStatus } from '../../shared/roomStatus'
import { useI18n } from '../i18n'
import { agreeVersion, exportVersion, fetchDiff, listVersions, restoreVersion } from '../lib/api'
import { download, fileBaseName } from '../lib/download'
import type { RoomUser } from '../sync/useRoom'
import { DiffView } from './DiffView'
import type { Comparison } from './diffMarks'
import { Modal } from './Modal'

interface Props {
	editor: Editor
	room: string
	token: string
	user: RoomUser
	isFacilitator: boolean
	status: RoomStatus
	comparison: Comparison | undefined
	onCompare(comparison: Comparison | undefined): void
}

const NOW = 'now'

/**
 * Agreed versions of the map: the facilitator saves ("Agree this map") and restores them;
 * everyone browses, exports and compares them, with the map now or with each other.
 */
export function VersionsPanel({ editor, room, token, user, isFacilitator, status, comparison, onCompare }: Props) {
	const { t, lang } = useI18n()
	const [versions, setVersions] = useState<VersionSummary[]>()
	const [label, setLabel] = useState('')
	const [busy, setBusy] = useState(false)
	const [message, setMessage] = useState<string>()
	const [failure, setFailure] = useState<string>()
	const [restoring, setRestoring] = useState<VersionSummary>()
	const [from, setFrom] = useState<string>()
	const [to, setTo] = useState(NOW)

	const fail = (e: unknown) => setFailure(e instanceof Error ? e.message : String(e))
	const refresh = useCallback(() => listVersions(room, token).then(setVersions, fail), [room, token])
	// A version saved or restored by another facilitator changes the room status: list again then.
	useEffect(() => void refresh(), [refresh, status.agreedVersion?.id])

	const run = async (job: () => Promise<string | undefined>) => {
		setBusy(true)
		setFailure(undefined)
		setMessage(undefined)
		try {
			setMessage(await job())
			await refresh()
		} catch (e) {
			fail(e)
		} finally {
			setBusy(false)
		}
	}
	const agree = () =>
		run(async () => {
			const saved = await agreeVersion(room, token, label.trim(), user.name)
			setLabel('')
			return t('agreeDone', { number: saved.number })
		})
	const restore = (version: VersionSummary) =>
		run(async () => {
			setRestoring(undefined)
			const { backup } = await restoreVersion(room, token, version.id, user.name)
			onCompare(undefined)
			return t('restored', { number: version.number, backup: backup.number })
		})
	const compare = (fromId: string, toId: string) =>
		run(async () => {
			onCompare({ from: fromId, to: toId, response: await fetchDiff(room, token, fromId, toId) })
			return undefined
		})
	const exportAs = (version: VersionSummary, format: ExportFormat) =>
		run(async () => {
			const blob = await exportVersion(room, token, version.id, format, false)
			download(blob, `${fileBaseName(version.label)}-v${version.number}.${format}`)
			return undefined
		})

	const when = (ms: number) => new Date(ms).toLocaleString(lang, { dateStyle: 'short', timeStyle: 'short' })
	const sideName = (id: string) => {
		const v = versions?.find((x) => x.id === id)
		return id === NOW ? t('compareNow') : v ? `v${v.number} · ${v.label}` : id
	}
	const fromChoice = from ?? versions?.[0]?.id

	return (
		<section className="versions" data-testid="versions-panel">
			{isFacilitator && (
				<form
					className="agree"
					onSubmit={(e) => {
						e.preventDefault()
						if (label.trim()) void agree()
					}}
				>
					<h2 className="panel-title">{t('agreeTitle')}</h2>
					<p className="muted">{t('agreeHelp')}</p>
					<label className="field__label" htmlFor="version-label">
						{t('agreeLabel')}
					</label>
					<input id="version-label" className="search" value={label} maxLength={200} placeholder={t('agreeLabelPlaceholder')} onChange={(e) => setLabel(e.target.value)} />
					<button type="submit" className="button button--primary" disabled={busy || !label.trim()} data-testid="agree-version">
						✓ {t('agreeAction')}
					</button>
				</form>
			)}
			{message && (
				<p className="notice" role="status" data-testid="versions-message">
					{message}
				</p>
			)}
			{failure && <p className="error-text">{failure}</p>}

			{comparison && <DiffView editor={editor} comparison={comparison} fromName={sideName(comparison.from)} toName={sideName(comparison.to)} onClose={() => onCompare(undefined)} />}

			{versions && versions.length > 0 && (
				<div className="compare">
					<h2 className="panel-title">{t('compareTitle')}</h2>
					<div className="grid-2">
						<label className="field">
							<span className="field__label">{t('compareFrom')}</span>
							<select value={fromChoice} onChange={(e) => setFrom(e.target.value)} data-testid="compare-from">
								{versions.map((v) => (
									<option key={v.id} value={v.id}>
										v{v.number} · {v.label}
									</option>
								))}
								<option value={NOW}>{t('compareNow')}</option>
							</select>
						</label>
						<label className="field">
							<span className="field__label">{t('compareTo')}</span>
							<select value={to} onChange={(e) => setTo(e.target.value)} data-testid="compare-to">
								<option value={NOW}>{t('compareNow')}</option>
								{versions.map((v) => (
									<option key={v.id} value={v.id}>
										v{v.number} · {v.label}
									</option>
								))}
							</select>
						</label>
					</div>
					<button type="button" className="button" disabled={busy || !fromChoice} onClick={() => fromChoice && void compare(fromChoice, to)} data-testid="compare-run">
						{t('compareAction')}
					</button>
				</div>
			)}

			<h2 className="panel-title">{t('versionsTitle')}</h2>
			{!versions ? (
				<p className="muted">{t('versionsLoading')}</p>
			) : versions.length === 0 ? (
				<p className="muted">{t('versionsEmpty')}</p>
			) : (
				<ul className="version-list" data-testid="version-list">
					{versions.map((v) => (
						<li key={v.id} className="version" data-testid="version">
							<div className="version__head">
								<span className="version__number">v{v.number}</span>
								<span className="version__label">{v.label}</span>
								<span className={`version__kind version__kind--${v.kind}`}>{t(v.kind === 'agreed' ? 'versionKind_agreed' : 'versionKind_before_restore')}</span>
							</div>
							<div className="muted">
								{when(v.createdAt)} · {t('versionBy', { name: v.createdBy.name ?? v.createdBy.role })}
							</div>
							<div className="muted">{t('versionCounts', { organisations: v.organisations, partnerships: v.partnerships })}</div>
							<div className="version__actions">
								<button type="button" className="small-button" disabled={busy} onClick={() => void compare(v.id, NOW)} data-testid="version-compare-now">
									{t('versionCompareNow')}
								</button>
								{isFacilitator && (
									<button type="button" className="small-button" disabled={busy} onClick={() => setRestoring(v)} data-testid="version-restore">
										{t('versionRestore')}
									</button>
								)}
							</div>
							<div className="version__formats" aria-label={t('export')}>
								<span className="muted">{t('export')}</span>
								{exportFormats.map((f) => (
									<button key={f} type="button" className="link-button" disabled={busy} onClick={() => void exportAs(v, f)} data-testid={`version-export-${f}`}>
										{f.toUpperCase()}
									</button>
								))}
							</div>
						</li>
					))}
				</ul>
			)}

			{restoring && (
				<Modal
					title={t('restoreTitle', { number: restoring.number })}
					onClose={() => setRestoring(undefined)}
					testId="restore-dialog"
					footer={
						<>
							<button type="button" className="button" onClick={() => setRestoring(undefined)}>
								{t('cancel')}
							</button>
							<button type="button" className="button button--danger" disabled={busy} onClick={() => void restore(restoring)} data-testid="restore-confirm">
								{t('restoreAction')}
							</button>
						</>
					}
				>
					<p>{t('restoreConfirm', { number: restoring.number, label: restoring.label })}</p>
					<p className="muted">{t('restoreUndoable')}</p>
				</Modal>
			)}
		</section>
	)
}
