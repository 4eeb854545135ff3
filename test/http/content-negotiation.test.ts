import t from 'tap'
import { negotiateMediaType } from '../../src/http/content-negotiation.js'

const offered = ['application/vc+jwt', 'application/vc', 'application/json']

t.test('media type negotiation', async (t) => {
  const cases: Array<[string | undefined, string | undefined]> = [
    [undefined, 'application/vc+jwt'],
    ['', 'application/vc+jwt'],
    ['application/json', 'application/json'],
    ['application/json; charset=utf-8', 'application/json'],
    ['APPLICATION/VC', 'application/vc'],
    ['application/*', 'application/vc+jwt'],
    ['*/*', 'application/vc+jwt'],
    ['application/vc+jwt;q=0.2, application/json', 'application/json'],
    ['*/*;q=0.1, application/vc;q=0.5', 'application/vc'],
    ['application/vc+jwt;q=0, */*', 'application/vc'],
    ['text/html', undefined],
    ['application/vc+jwt;q=0', undefined],
    ['garbage', undefined],
  ]
  for (const [accept, expected] of cases) {
    t.equal(negotiateMediaType(accept, offered), expected, `Accept: ${accept}`)
  }
})
