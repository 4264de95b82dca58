/**
 * A hand-encoded ONNX model (protobuf, https://github.com/onnx/onnx/blob/main/onnx/onnx.proto) that maps
 * input_ids to "logits" with one Cast node: a valid graph with none of the attention / hidden-state
 * outputs, to check the message a user gets for a model exported without them.
 */

function varint(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    bytes.push(byte);
  } while (value > 0);
  return bytes;
}

const field = (number: number, payload: number[] | string): number[] => {
  const bytes = typeof payload === 'string' ? Array.from(Buffer.from(payload, 'utf8')) : payload;
  return [...varint((number << 3) | 2), ...varint(bytes.length), ...bytes];
};
const integer = (number: number, value: number): number[] => [...varint(number << 3), ...varint(value)];

/** ValueInfoProto of a 2-D tensor with symbolic dimensions. elemType: 1 float, 7 int64. */
function valueInfo(name: string, elemType: number): number[] {
  const shape = [...field(1, field(2, 'batch_size')), ...field(1, field(2, 'sequence_length'))];
  return [...field(1, name), ...field(2, field(1, [...integer(1, elemType), ...field(2, shape)]))];
}

export function onnxWithoutAttentions(): Uint8Array {
  const castToFloat = [...integer(20, 2), ...field(1, 'to'), ...integer(3, 1)]; // AttributeProto: type INT, name, i = FLOAT
  const node = [...field(1, 'input_ids'), ...field(2, 'logits'), ...field(3, 'cast'), ...field(4, 'Cast'), ...field(5, castToFloat)];
  const graph = [...field(1, node), ...field(2, 'no_attentions'), ...field(11, valueInfo('input_ids', 7)), ...field(12, valueInfo('logits', 1))];
  const opset = [...field(1, ''), ...integer(2, 17)];
  return Uint8Array.from([...integer(1, 8), ...field(2, 'prompt-lens-test'), ...field(7, graph), ...field(8, opset)]);
}
