/**
 * A double-ended queue on a growable ring. Jobs are taken from the front
 * and retries are put back at the front, so an array's `shift()` and
 * `unshift()`, which move every element, would cost O(n) per job.
 */
export class Deque<T> {
  #items: (T | undefined)[] = new Array<T | undefined>(16);
  #head = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(item: T): void {
    if (this.#length === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#length) % this.#items.length] = item;
    this.#length += 1;
  }

  unshift(item: T): void {
    if (this.#length === this.#items.length) this.#grow();
    this.#head = (this.#head - 1 + this.#items.length) % this.#items.length;
    this.#items[this.#head] = item;
    this.#length += 1;
  }

  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#items.length;
    this.#length -= 1;
    return item;
  }

  /** Removes and returns every item, front first. */
  drain(): T[] {
    const items: T[] = [];
    while (this.#length > 0) items.push(this.shift() as T);
    return items;
  }

  #grow(): void {
    const larger = new Array<T | undefined>(this.#items.length * 2);
    for (let offset = 0; offset < this.#length; offset += 1) {
      larger[offset] = this.#items[(this.#head + offset) % this.#items.length];
    }
    this.#items = larger;
    this.#head = 0;
  }
}
