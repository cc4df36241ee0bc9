// Writes the access table into README.md, between its markers, from the access matrix the
// tests use: npx tsx scripts/access-table.ts
import { readFileSync, writeFileSync } from 'node:fs'
import { ACCESS_TABLE_END, ACCESS_TABLE_START, accessTableMarkdown } from '../tests/support/accessMatrix'

const file = new URL('../README.md', import.meta.url)
const readme = readFileSync(file, 'utf8')
const start = readme.indexOf(ACCESS_TABLE_START)
const end = readme.indexOf(ACCESS_TABLE_END)
if (start < 0 || end < start) throw new Error('README.md lacks the access table markers')
writeFileSync(file, `${readme.slice(0, start + ACCESS_TABLE_START.length)}\n\n${accessTableMarkdown()}\n\n${readme.slice(end)}`)
