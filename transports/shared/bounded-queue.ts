/**
 * A first-in first-out queue with a fixed capacity: `push` refuses what does
 * not fit (the caller dead-letters it), so memory never grows with a backlog.
 */
export class BoundedQueue<T> {
  private items: T[] = []
  private head = 0

  constructor (readonly capacity: number) {}

  get size (): number {
    return this.items.length - this.head
  }

  /** Adds an item; false when the queue is full. */
  push (item: T): boolean {
    if (this.size >= this.capacity) return false
    this.items.push(item)
    return true
  }

  /** Removes and returns up to `max` items from the front. */
  take (max: number): T[] {
    const end = Math.min(this.items.length, this.head + max)
    const taken = this.items.slice(this.head, end)
    this.head = end
    if (this.head === this.items.length) {
      this.items = []
      this.head = 0
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head)
      this.head = 0
    }
    return taken
  }
}
