import { test, expect } from 'vitest'
import * as Y from 'yjs'
import { writeMapToDoc, docToMap } from '../shared/ydoc/mapDoc'
import { mapSchema } from '../shared/model'
test('rt', () => {
  const map = mapSchema.parse({ schemaVersion: 1, title: 'T', organisations: [
    { id: 'a', name: 'A', units: [{id:'u1', name:'Unit 1'}] }, { id: 'b', name: 'B' }],
    partnerships: [{ id: 'p1', from: { organisation: 'a', unit: 'u1', carriers: [{name:'X'}] }, to: { organisation: 'b' }, strength: 'strong', convention: {objectives:'o'} },
    { id: 'p2', from: { organisation: 'b' }, to: { organisation: 'a' } }],
    layout: { a: {x:0,y:0,w:200,h:96}, b: {x:400,y:0,w:200,h:96} } })
  const doc = new Y.Doc(); writeMapToDoc(doc, map)
  const { map: back, issues } = docToMap(doc)
  expect(issues).toEqual([])
  expect(back).toEqual(map)
})
