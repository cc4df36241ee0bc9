import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { chimayIds as o, chimayMap, cpasUnits as u } from '../../../shared/demo/chimay'
import { demoMaps } from '../../../shared/demo'
import { mapSchema, type Partnership } from '../../../shared/model'
import { mapToRecords, recordsToMap } from '../../../shared/projection'
import { docToMap, writeMapToDoc } from '../../../shared/ydoc/mapDoc'

const byId = (id: string): Partnership => {
	const p = chimayMap.partnerships.find((x) => x.id === id)
	if (!p) throw new Error(`no partnership ${id}`)
	return p
}

/** Partnerships between two organisations, whichever way they are drawn. */
const between = (a: string, b: string) =>
	chimayMap.partnerships.filter(
		(p) => (p.from.organisation === a && p.to.organisation === b) || (p.from.organisation === b && p.to.organisation === a),
	)

/** The side of a partnership that belongs to an organisation. */
const sideOf = (p: Partnership, organisation: string) => (p.from.organisation === organisation ? p.from : p.to)

describe('the Chimay demo map', () => {
	test('validates against the map schema and is listed among the demos', () => {
		expect(mapSchema.safeParse(chimayMap).success).toBe(true)
		expect(demoMaps.chimay).toBe(chimayMap)
	})

	test('holds every organisation of the thesis, with the CPAS units', () => {
		const names: Record<string, RegExp> = {
			[o.cpas]: /CPAS de Chimay/,
			[o.commune]: /Administration communale/,
			[o.mediation]: /Médiation de dettes/,
			[o.aubligneux]: /Aubligneux/,
			[o.miresem]: /Miresem/,
			[o.carrefour]: /Carrefour/,
			[o.ale]: /Agence locale pour l'emploi/,
			[o.forem]: /Forem.*Maison de l'emploi/,
			[o.esem]: /Esem/,
			[o.repit]: /Répit/,
			[o.pcs]: /Cohésion Sociale/,
			[o.mobilesem]: /Mobilesem/,
			[o.article27]: /Article 27/,
			[o.cle]: /CLE/,
			[o.centreCulturel]: /Centre culturel/,
		}
		expect(chimayMap.organisations.map((x) => x.id).sort()).toEqual(Object.keys(names).sort())
		for (const org of chimayMap.organisations) expect(org.name).toMatch(names[org.id] as RegExp)
		const cpas = chimayMap.organisations.find((x) => x.id === o.cpas)
		expect(cpas?.units.map((x) => x.id)).toEqual([
			u.firstLine,
			u.secondLine,
			u.socialInsertion,
			u.professionalInsertion,
			u.coupDePouce,
		])
		expect(chimayMap.organisations.find((x) => x.id === o.cle)).toMatchObject({ kind: 'political_group', governanceRoles: ['political'] })
		expect(chimayMap.organisations.find((x) => x.id === o.forem)?.kind).toBe('public_institution')
	})

	test('holds every partnership of the thesis, on the right CPAS unit', () => {
		expect(chimayMap.partnerships).toHaveLength(29)
		// [CPAS unit, partner], as in 7.2.2
		const rows: [string, string][] = [
			[u.firstLine, o.commune],
			[u.firstLine, o.mediation],
			[u.firstLine, o.aubligneux],
			...[o.miresem, o.carrefour, o.ale, o.forem, o.esem, o.repit, o.pcs, o.aubligneux].map((x): [string, string] => [u.secondLine, x]),
			[u.professionalInsertion, o.forem],
			[u.professionalInsertion, o.miresem],
			[u.professionalInsertion, o.mobilesem],
			[u.socialInsertion, o.article27],
		]
		for (const [unit, partner] of rows) {
			const found = between(o.cpas, partner).filter((p) => sideOf(p, o.cpas).unit === unit)
			expect(found.length, `${unit} – ${partner}`).toBeGreaterThan(0)
		}
		const others: [string, string][] = [
			[o.pcs, o.commune],
			[o.pcs, o.mediation],
			[o.pcs, o.forem],
			[o.pcs, o.cpas],
			[o.pcs, o.carrefour],
			[o.forem, o.miresem],
			[o.forem, o.carrefour],
			[o.forem, o.ale],
			[o.miresem, o.carrefour],
			[o.miresem, o.aubligneux],
			[o.miresem, o.repit],
			[o.commune, o.cpas],
		]
		for (const [a, b] of others) expect(between(a, b).length, `${a} – ${b}`).toBeGreaterThan(0)
		// No link for the two organisations the thesis names without describing any partnership.
		expect(chimayMap.partnerships.filter((p) => [p.from.organisation, p.to.organisation].some((x) => x === o.cle || x === o.centreCulturel))).toEqual([])
	})

	test('only PCS–Carrefour is strong; every other strength is unknown', () => {
		const strong = chimayMap.partnerships.filter((p) => p.strength !== 'unknown')
		expect(strong.map((p) => [p.id, p.strength])).toEqual([['pcs-carrefour', 'strong']])
		expect(byId('pcs-carrefour')).toMatchObject({ kind: 'palliative', formal: false, visible: false, convention: null })
	})

	test('Forem – CPAS 3rd line is an imposed, formal, top-down referral under a convention', () => {
		const [p, ...rest] = between(o.forem, o.cpas).filter((x) => sideOf(x, o.cpas).unit === u.professionalInsertion)
		expect(rest).toEqual([])
		expect(p).toMatchObject({
			kind: 'imposed',
			formal: true,
			visible: true,
			flow: 'referral',
			direction: 'one_way',
			from: { organisation: o.forem },
			status: 'active',
		})
		expect(p?.convention?.objectives).toMatch(/moins de 25 ans/)
	})

	test('CPAS 3rd line – Miresem: an interrupted formal convention beside a live worker-to-worker link', () => {
		const links = between(o.cpas, o.miresem).filter((x) => sideOf(x, o.cpas).unit === u.professionalInsertion)
		expect(links).toHaveLength(2)
		const formal = links.find((x) => x.formal)
		const spontaneous = links.find((x) => !x.formal)
		expect(formal).toMatchObject({ kind: 'imposed', status: 'interrupted', history: [] })
		expect(formal?.convention).not.toBeNull()
		expect(spontaneous).toMatchObject({ kind: 'palliative', status: 'active', convention: null })
		// Two workers: one carrier on each side.
		expect(spontaneous?.from.carriers).toHaveLength(1)
		expect(spontaneous?.to.carriers).toHaveLength(1)
	})

	test('CPAS 3rd line social – Article 27: an operational convention and an ideological link between the two workers', () => {
		const links = between(o.cpas, o.article27)
		expect(links.map((p) => [p.kind, p.formal, p.convention !== null]).sort()).toEqual([
			['ideological', false, false],
			['operational', true, true],
		])
		for (const p of links) expect(sideOf(p, o.cpas).unit).toBe(u.socialInsertion)
	})

	test('a link the thesis says rests on one person has exactly one carrier on that side', () => {
		expect(sideOf(byId('cpas2-ale'), o.ale).carriers).toEqual([{ role: "coordinatrice de l'ALE" }])
		expect(sideOf(byId('cpas2-miresem'), o.miresem).carriers).toHaveLength(1)
		expect(sideOf(byId('cpas2-carrefour'), o.carrefour).carriers).toHaveLength(1)
		// "Tantôt vers l'un des travailleurs, tantôt vers l'autre": two people at the Forem.
		expect(sideOf(byId('cpas2-forem'), o.forem).carriers).toHaveLength(2)
	})

	test('names no person and invents no date', () => {
		for (const org of chimayMap.organisations) expect(org.contacts).toEqual([])
		for (const p of chimayMap.partnerships) {
			for (const carrier of [...p.from.carriers, ...p.to.carriers]) expect(Object.keys(carrier)).toEqual(['role'])
			expect(p.history).toEqual([])
			expect(p.convention?.start).toBeUndefined()
			expect(p.convention?.end).toBeUndefined()
			expect(p.notes.length).toBeGreaterThan(0)
		}
		expect(chimayMap.date).toBeUndefined()
	})

	test('lays out every organisation without overlap, the CPAS in the centre', () => {
		const boxes = chimayMap.organisations.map((org) => ({ id: org.id, ...chimayMap.layout[org.id]! }))
		expect(boxes.every((b) => Number.isFinite(b.x) && b.w >= 220 && b.h >= 100)).toBe(true)
		const gap = 20
		for (const [i, a] of boxes.entries())
			for (const b of boxes.slice(i + 1)) {
				const apart = a.x + a.w + gap <= b.x || b.x + b.w + gap <= a.x || a.y + a.h + gap <= b.y || b.y + b.h + gap <= a.y
				expect(apart, `${a.id} overlaps ${b.id}`).toBe(true)
			}
		const centre = (b: (typeof boxes)[number]) => Math.hypot(b.x + b.w / 2, b.y + b.h / 2)
		const [first, ...rest] = [...boxes].sort((a, b) => centre(a) - centre(b))
		expect(first?.id).toBe(o.cpas)
		expect(centre(first!)).toBe(0)
		// The CPAS' partners are nearer than the organisations it has no link with.
		const unlinked = rest.filter((b) => b.id === o.cle || b.id === o.centreCulturel)
		const partners = rest.filter((b) => !unlinked.includes(b))
		expect(Math.max(...partners.map(centre))).toBeLessThan(Math.min(...unlinked.map(centre)))
	})

	test('no straight link between two organisations passes through the box of a third', () => {
		const box = (id: string) => chimayMap.layout[id]!
		const centre = (id: string) => ({ x: box(id).x + box(id).w / 2, y: box(id).y + box(id).h / 2 })
		// Liang–Barsky: does the segment a→b meet the rectangle?
		const crosses = (a: { x: number; y: number }, b: { x: number; y: number }, r: { x: number; y: number; w: number; h: number }) => {
			let [t0, t1] = [0, 1]
			const d = { x: b.x - a.x, y: b.y - a.y }
			const edges: [number, number][] = [
				[-d.x, a.x - r.x],
				[d.x, r.x + r.w - a.x],
				[-d.y, a.y - r.y],
				[d.y, r.y + r.h - a.y],
			]
			for (const [p, q] of edges) {
				if (p === 0) {
					if (q < 0) return false
				} else if (p < 0) t0 = Math.max(t0, q / p)
				else t1 = Math.min(t1, q / p)
			}
			return t0 <= t1
		}
		for (const p of chimayMap.partnerships)
			for (const org of chimayMap.organisations) {
				if (org.id === p.from.organisation || org.id === p.to.organisation) continue
				expect(crosses(centre(p.from.organisation), centre(p.to.organisation), box(org.id)), `${p.id} crosses ${org.id}`).toBe(false)
			}
	})

	test('survives the projection to tldraw records and a Y.Doc unchanged', () => {
		const { title, territory, description } = chimayMap
		const back = recordsToMap(mapToRecords(chimayMap), { title, territory, description })
		expect(back.issues).toEqual([])
		expect(back.map).toEqual(chimayMap)

		const doc = new Y.Doc()
		writeMapToDoc(doc, chimayMap)
		const fromDoc = docToMap(doc)
		expect(fromDoc.issues).toEqual([])
		expect(fromDoc.map).toEqual(chimayMap)
	})
})
