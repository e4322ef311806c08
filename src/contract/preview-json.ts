/** Containers shown inside one another at most; deeper ones become `…`. */
const MAX_DEPTH = 32;

/**
 * The start of `value` as JSON text, at most `limit` characters and `…`
 * where it was cut. Unlike JSON.stringify it never builds more than it
 * shows, so a found value of a million elements, or nested ten thousand
 * deep (which overflows JSON.stringify's stack), costs no more than a
 * small one.
 */
export function previewJson(value: unknown, limit: number): string {
  const preview = new Preview(limit);
  preview.add(value, 0);
  return preview.text();
}

class Preview {
  #parts: string[] = [];
  #length = 0;
  #isCut = false;

  constructor(private readonly limit: number) {}

  get isFull(): boolean {
    return this.#length > this.limit;
  }

  add(value: unknown, depth: number): void {
    if (this.isFull) return;
    if (typeof value === 'string') {
      this.#push(JSON.stringify(value.slice(0, this.limit + 1)));
    } else if (typeof value !== 'object' || value === null) {
      this.#push(JSON.stringify(value) ?? 'null');
    } else if (depth >= MAX_DEPTH) {
      this.#push('…');
      this.#isCut = true;
    } else if (Array.isArray(value)) {
      this.#addArray(value, depth);
    } else {
      this.#addObject(value as Record<string, unknown>, depth);
    }
  }

  text(): string {
    const text = this.#parts.join('');
    if (!this.isFull && !this.#isCut) return text;
    return `${text.slice(0, this.limit)}…`;
  }

  #addArray(array: unknown[], depth: number): void {
    this.#push('[');
    for (let index = 0; index < array.length && !this.isFull; index += 1) {
      if (index > 0) this.#push(',');
      this.add(array[index], depth + 1);
    }
    this.#push(']');
  }

  #addObject(object: Record<string, unknown>, depth: number): void {
    this.#push('{');
    let isFirst = true;
    for (const key in object) {
      if (this.isFull) break;
      if (!Object.hasOwn(object, key)) continue;
      this.#push(`${isFirst ? '' : ','}${JSON.stringify(key)}:`);
      this.add(object[key], depth + 1);
      isFirst = false;
    }
    this.#push('}');
  }

  #push(text: string): void {
    this.#parts.push(text);
    this.#length += text.length;
  }
}
