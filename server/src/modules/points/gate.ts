/**
 * At most `limit` callers at a time through run(), the rest wait their turn in arrival order.
 * Used to admit a few ledger-posting reviews at once: on the bench machine fifty reviews posting at
 * once cost PostgreSQL about twice the CPU per entry of four at once (they all insert at the right
 * edge of the same indexes), and finished later, not sooner.
 */
export class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      // Hand the slot straight to the next waiter (active stays the same), or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}
