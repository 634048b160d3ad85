/**
 * At most `count` messages to one recipient in any `windowMs`: how long the
 * next one must wait (0: it may go now). A sliding window over send times.
 */
export class RecipientRateLimit {
  private readonly sent = new Map<string, number[]>()

  constructor (private readonly count: number, private readonly windowMs: number, private readonly now: () => number = Date.now) {}

  waitMs (recipient: string): number {
    const times = this.sent.get(recipient)
    if (times === undefined) return 0
    const since = this.now() - this.windowMs
    while (times.length > 0 && times[0]! <= since) times.shift()
    if (times.length === 0) this.sent.delete(recipient)
    return times.length < this.count ? 0 : times[0]! - since
  }

  record (recipient: string): void {
    const times = this.sent.get(recipient)
    if (times === undefined) this.sent.set(recipient, [this.now()])
    else times.push(this.now())
  }
}
