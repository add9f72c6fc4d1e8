/**
 * Class names → a lookup by class id, built once per distinct class list. An unknown name is an error that names
 * it and lists what the model knows, so a typo in a config or a flag is caught before any frame is read.
 */
export class UnknownClassError extends Error {
  constructor(
    readonly className: string,
    known: readonly string[],
  ) {
    super(
      `unknown class ${JSON.stringify(className)}: the model knows ${known.length} classes (e.g. ${known.slice(0, 8).join(', ')})`,
    );
    this.name = 'UnknownClassError';
  }
}

/** A mask indexed by class id: 1 when the class is kept. */
export function classMask(classes: readonly string[], classNames: readonly string[]): Uint8Array {
  const mask = new Uint8Array(classNames.length);
  for (const name of classes) {
    const id = classNames.indexOf(name);
    if (id < 0) throw new UnknownClassError(name, classNames);
    mask[id] = 1;
  }
  return mask;
}

/** Caches the mask of the last class list seen (the pipeline passes the same list every frame). */
export class ClassMaskCache {
  private key = '';
  private mask: Uint8Array | null = null;

  constructor(private readonly classNames: readonly string[]) {}

  get(classes: readonly string[]): Uint8Array {
    const key = classes.join('\n');
    if (!this.mask || key !== this.key) {
      this.mask = classMask(classes, this.classNames);
      this.key = key;
    }
    return this.mask;
  }
}
