/** One step of the demo as the report shows it. */
export interface DemoStep {
  name: string
  /** True when the step turned out as expected, a refusal included when a refusal was expected. */
  ok: boolean
  detail: string
}

export interface DemoReportOptions {
  out: NodeJS.WritableStream
  json: boolean
}

/**
 * Prints each step as it finishes, numbered, with its outcome and what was seen. With `json` the
 * readable lines stay and one JSON object of every step follows as the last line of output.
 */
export class DemoReport {
  readonly steps: DemoStep[] = []
  private readonly out: NodeJS.WritableStream
  private readonly json: boolean

  constructor(options: DemoReportOptions) {
    this.out = options.out
    this.json = options.json
  }

  get ok(): boolean {
    return this.steps.length > 0 && this.steps.every((step) => step.ok)
  }

  line(text = ''): void {
    this.out.write(`${text}\n`)
  }

  /**
   * Runs one step. `run` resolves to the detail of a step that went as expected and throws when it
   * did not; the error message becomes the detail. Later steps still run, so one report names
   * every step that failed.
   */
  async step(name: string, run: () => Promise<string>): Promise<boolean> {
    let step: DemoStep
    try {
      step = { name, ok: true, detail: await run() }
    } catch (error) {
      step = { name, ok: false, detail: error instanceof Error ? error.message : String(error) }
    }
    this.steps.push(step)
    const number = String(this.steps.length).padStart(2)
    this.line(`${number}. ${step.ok ? '✓' : '✗ FAILED:'} ${step.name}`)
    for (const detailLine of step.detail.split('\n')) this.line(`      ${detailLine}`)
    return step.ok
  }

  finish(): void {
    const failed = this.steps.filter((step) => !step.ok)
    this.line()
    this.line(
      failed.length === 0
        ? `All ${this.steps.length} steps turned out as expected.`
        : `${failed.length} of ${this.steps.length} steps did not turn out as expected: ${failed.map((s) => s.name).join('; ')}.`,
    )
    if (this.json) this.line(JSON.stringify({ ok: this.ok, steps: this.steps }))
  }
}
