// Prints docs/access.md from the access matrix the tests use: npx tsx scripts/access-table.ts > docs/access.md
import { accessTableMarkdown } from '../tests/reliability/accessMatrix'

process.stdout.write(accessTableMarkdown())
