/**
 * Writes a minimal ONNX model by hand (protobuf wire format): one Identity node from `images` to `output`, float32,
 * with the given input shape. No ONNX toolkit is installed here, and the detector's shape checks need models that
 * are valid ONNX but the wrong shape.
 */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

const field = (num: number, payload: number[]): number[] => [
  ...varint((num << 3) | 2),
  ...varint(payload.length),
  ...payload,
];
const int = (num: number, v: number): number[] => [...varint(num << 3), ...varint(v)];
const str = (num: number, s: string): number[] => field(num, [...Buffer.from(s, 'utf8')]);

function valueInfo(name: string, shape: number[]): number[] {
  const dims = shape.flatMap((d) => field(1, int(1, d)));
  const tensorType = [...int(1, 1 /* FLOAT */), ...field(2, dims)];
  return [...str(1, name), ...field(2, field(1, tensorType))];
}

export function identityModel(inputShape: number[]): Buffer {
  const node = [...str(1, 'images'), ...str(2, 'output'), ...str(4, 'Identity')];
  const graph = [
    ...field(1, node),
    ...str(2, 'g'),
    ...field(11, valueInfo('images', inputShape)),
    ...field(12, valueInfo('output', inputShape)),
  ];
  return Buffer.from([
    ...int(1, 7 /* ir_version */),
    ...field(7, graph),
    ...field(8, [...str(1, ''), ...int(2, 13)]),
  ]);
}
