import { useEffect, useState } from 'react'
import QRCode from 'qrcode'
import type { CreatedRoomResponse } from '../../shared/api'
import { roles, type Role } from '../../shared/protocol'
import { useI18n } from '../i18n'
import { ApiError, createRoom } from '../lib/api'
import { ADMIN_TOKEN_KEY, takeToken } from '../lib/tokens'
import { CenteredCard } from './CenteredCard'

function RoleLink({ role, link }: { role: Role; link: string }) {
	const { t } = useI18n()
	const url = new URL(link, location.origin).href
	const [qr, setQr] = useState<string>()
	const [copied, setCopied] = useState(false)
	useEffect(() => {
		// Drawn locally: the link carries a token and must not go to any QR service.
		QRCode.toDataURL(url, { margin: 1, width: 176, errorCorrectionLevel: 'M' }).then(setQr, () => setQr(undefined))
	}, [url])
	const copy = () => {
		void navigator.clipboard?.writeText(url).then(() => {
			setCopied(true)
			setTimeout(() => setCopied(false), 1500)
		})
	}
	return (
		<div className="role-link" data-testid={`role-link-${role}`}>
			{qr && <img className="role-link__qr" src={qr} width={176} height={176} alt={t('qrAlt', { role: t(`role_${role}`) })} />}
			<div className="role-link__text">
				<h3>
					<span className={`role-badge role-badge--${role}`}>{t(`role_${role}`)}</span>
				</h3>
				<p className="muted">{t(`roleHelp_${role}`)}</p>
				<input readOnly value={url} onFocus={(e) => e.target.select()} aria-label={t(`role_${role}`)} />
				<div className="role-link__actions">
					{navigator.clipboard && (
						<button type="button" className="button" onClick={copy}>
							{copied ? t('copied') : t('copyLink')}
						</button>
					)}
					<a className="button" href={url} target="_blank" rel="noreferrer">
						{t('openLink')}
					</a>
					{role !== 'facilitator' && (
						<a className="button" href={url.replace('#', '/projector#')} target="_blank" rel="noreferrer" data-testid={`projector-link-${role}`}>
							{t('projectorOpen')}
						</a>
					)}
				</div>
			</div>
		</div>
	)
}

export function AdminPage() {
	const { t } = useI18n()
	const [token] = useState(() => takeToken(ADMIN_TOKEN_KEY))
	const [title, setTitle] = useState('')
	const [created, setCreated] = useState<CreatedRoomResponse>()
	const [failure, setFailure] = useState<string>()
	const [busy, setBusy] = useState(false)

	if (!token) return <CenteredCard title={t('adminTitle')}><p>{t('adminNoToken')}</p></CenteredCard>

	const submit = async () => {
		setBusy(true)
		setFailure(undefined)
		try {
			const room = await createRoom(title.trim(), token)
			setCreated({ ...room, title: title.trim() })
		} catch (e) {
			setFailure(e instanceof ApiError && (e.status === 401 || e.status === 403) ? t('adminBadToken') : e instanceof Error ? e.message : String(e))
		} finally {
			setBusy(false)
		}
	}
	return (
		<CenteredCard title={t('adminTitle')} subtitle={t('adminSubtitle')} wide>
			<form
				className="admin-form"
				onSubmit={(e) => {
					e.preventDefault()
					void submit()
				}}
			>
				<label className="field__label" htmlFor="room-title">
					{t('roomTitle')}
				</label>
				<div className="inline-form">
					<input id="room-title" name="title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} placeholder={t('roomTitlePlaceholder')} />
					<button type="submit" className="button button--primary" disabled={busy || !title.trim()}>
						{t('createRoom')}
					</button>
				</div>
				{failure && <p className="error-text">{failure}</p>}
			</form>
			{created && (
				<section className="created-room" data-testid="created-room">
					<h2>{t('roomCreated', { title: created.title })}</h2>
					<p className="muted">{t('roomLinksHelp')}</p>
					<div className="role-links">
						{roles.map((role) => (
							<RoleLink key={role} role={role} link={created.links[role]} />
						))}
					</div>
				</section>
			)}
		</CenteredCard>
	)
}
