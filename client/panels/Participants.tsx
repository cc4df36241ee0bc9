import { createUserId, useValue, type Editor } from 'tldraw'
import type { RoomUser } from '../sync/useRoom'
import { useI18n } from '../i18n'
import { usePopover } from './usePopover'

type Peer = RoomUser & { clientId: number }

/** Who is in the room; following someone makes this viewport track theirs (click again to stop). */
export function Participants({ editor, me, peers }: { editor: Editor; me: RoomUser; peers: Peer[] }) {
	const { t } = useI18n()
	const { open, setOpen, ref } = usePopover()
	const following = useValue('following', () => editor.getInstanceState().followingUserId, [editor])
	const collaborators = useValue('collaborators', () => editor.getCollaborators(), [editor])
	// Presence records name users by tldraw user id; accept both the raw and the prefixed form.
	const presenceOf = (peer: Peer) => collaborators.find((c) => c.userId === createUserId(peer.id) || c.userId === (peer.id as string))
	// One person may have several tabs open: list them once.
	const others = peers.filter((p, i) => p.id !== me.id && peers.findIndex((q) => q.id === p.id) === i)
	const everyone = [me, ...others]
	return (
		<div ref={ref} className="popover-anchor participants" data-testid="participants">
			<button type="button" className="facepile" onClick={() => setOpen(!open)} aria-expanded={open} title={t('participantsTitle')}>
				{everyone.slice(0, 5).map((p) => (
					<span key={p.id} className="avatar" style={{ background: p.colour }}>
						{initials(p.name)}
					</span>
				))}
				<span className="facepile__count">{everyone.length}</span>
			</button>
			{open && (
				<div className="popover popover--people" role="dialog" aria-label={t('participantsTitle')}>
					<h3>{t('participantsTitle')}</h3>
					<ul className="people">
						<li className="people__row">
							<span className="avatar" style={{ background: me.colour }}>{initials(me.name)}</span>
							<span className="people__name">{me.name}</span>
							<span className="muted">{t('you')}</span>
						</li>
						{others.map((peer) => {
							const presence = presenceOf(peer)
							const isFollowed = presence !== undefined && following === presence.userId
							return (
								<li key={peer.id} className="people__row">
									<span className="avatar" style={{ background: peer.colour }}>{initials(peer.name)}</span>
									<span className="people__name" data-testid="participant-name">{peer.name}</span>
									<button
										type="button"
										className={isFollowed ? 'small-button small-button--on' : 'small-button'}
										disabled={!presence}
										onClick={() => (isFollowed ? editor.stopFollowingUser() : presence && editor.startFollowingUser(presence.userId))}
									>
										{isFollowed ? t('stopFollowing') : t('follow')}
									</button>
								</li>
							)
						})}
					</ul>
					{others.length === 0 && <p className="muted">{t('aloneInRoom')}</p>}
				</div>
			)}
		</div>
	)
}

function initials(name: string): string {
	const words = name.split(/[^\p{L}\p{N}]+/u).filter(Boolean)
	const letters = words.length > 1 ? (words[0]?.[0] ?? '') + (words[1]?.[0] ?? '') : (words[0] ?? '').slice(0, 2)
	return letters.toUpperCase() || '?'
}
