const MEBIBYTE = 1024 * 1024;
const KIBIBYTE = 1024;

/** "256 MiB" for whole mebibytes and kibibytes, otherwise "1,000 bytes". */
export function formatByteSize(bytes: number): string {
  if (bytes >= MEBIBYTE && bytes % MEBIBYTE === 0) {
    return `${bytes / MEBIBYTE} MiB`;
  }
  if (bytes >= KIBIBYTE && bytes % KIBIBYTE === 0) {
    return `${bytes / KIBIBYTE} KiB`;
  }
  return `${bytes.toLocaleString('en-US')} bytes`;
}
