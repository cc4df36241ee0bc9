import { useState } from 'react'
import { formatOfFileName, type ExportFormat } from '../../shared/formats'
import type { Issue } from '../../shared/issues'
import { useI18n } from '../i18n'
import { importIntoRoom } from '../lib/api'
import { Modal } from './Modal'

/** The formats in the order the dialog offers them. */
const importFormats = ['json', 'csv', 'graphml', 'gexf'] as const satisfies readonly ExportFormat[]

/**
 * Replaces the room's map with a file. The server validates the whole file first and changes
 * nothing when it is invalid; the dialog then lists every problem with where it is and why.
 */
export function ImportDialog({ room, token, onClose, onImported }: { room: string; token: string; onClose(): void; onImported(): void }) {
	const { t, issueText } = useI18n()
	const [file, setFile] = useState<File>()
	const [format, setFormat] = useState<ExportFormat>('json')
	const [busy, setBusy] = useState(false)
	const [issues, setIssues] = useState<Issue[]>()
	const [failure, setFailure] = useState<string>()

	const submit = async () => {
		if (!file) return
		setBusy(true)
		setIssues(undefined)
		setFailure(undefined)
		try {
			const result = await importIntoRoom(room, token, format, await file.text())
			if (result.ok) {
				onImported()
				onClose()
			} else setIssues(result.issues)
		} catch (e) {
			setFailure(e instanceof Error ? e.message : String(e))
		} finally {
			setBusy(false)
		}
	}
	return (
		<Modal
			title={t('importTitle')}
			onClose={onClose}
			testId="import-dialog"
			footer={
				<>
					<button type="button" className="button" onClick={onClose}>
						{t('cancel')}
					</button>
					<button type="button" className="button button--primary" disabled={!file || busy} onClick={() => void submit()}>
						{busy ? t('importing') : t('importAction')}
					</button>
				</>
			}
		>
			<p className="muted">{t('importHelp')}</p>
			<div className="field">
				<label className="field__label" htmlFor="import-file">
					{t('importFile')}
				</label>
				<input
					id="import-file"
					type="file"
					accept=".json,.csv,.graphml,.gexf,.xml"
					onChange={(e) => {
						const chosen = e.target.files?.[0]
						setFile(chosen)
						setIssues(undefined)
						const guessed = chosen && formatOfFileName(chosen.name)
						if (guessed) setFormat(guessed)
					}}
				/>
			</div>
			<div className="field">
				<label className="field__label" htmlFor="import-format">
					{t('importFormat')}
				</label>
				<select id="import-format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
					{importFormats.map((f) => (
						<option key={f} value={f}>
							{f.toUpperCase()}
						</option>
					))}
				</select>
			</div>
			{issues && (
				<div className="import-issues" role="alert" data-testid="import-issues">
					<p>
						<strong>{t('importRejected', { count: issues.length })}</strong>
					</p>
					<ul className="issue-list">
						{issues.map((i, n) => (
							<li key={n} className={i.severity === 'warning' ? 'issue--warning' : undefined}>
								{issueText(i)}
							</li>
						))}
					</ul>
				</div>
			)}
			{failure && <p className="error-text">{failure}</p>}
		</Modal>
	)
}
