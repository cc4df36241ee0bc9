import { expect, test } from 'vitest'
import { formatOfFileName } from '../../../../shared/formats'

test('the format of a file name: its extension, any case; .xml is GraphML; anything else none', () => {
	expect(formatOfFileName('carte.json')).toBe('json')
	expect(formatOfFileName('C:\\cartes\\Réseau.GEXF')).toBe('gexf')
	expect(formatOfFileName('/tmp/export.v2.csv')).toBe('csv')
	expect(formatOfFileName('yed.graphml')).toBe('graphml')
	expect(formatOfFileName('yed.XML')).toBe('graphml')
	for (const name of ['map.txt', 'json', 'dir.json/file', '.json.', 'map.toString']) expect(formatOfFileName(name), name).toBeUndefined()
})
