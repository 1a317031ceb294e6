/**
 * Telling text from binary data, the same way everywhere a file is read as text (Postfix
 * configuration, mail logs): a NUL byte near the start means binary. Text formats Postfix
 * reads or writes never contain NUL, while executables, images, databases and compressed
 * data nearly always have one in their first few KiB.
 */

/** How many leading bytes are looked at. */
export const BINARY_SNIFF_BYTES = 8192;

/** The same test on text already decoded (an editor's document): a NUL among its first characters. */
export function looksBinaryText(text: string): boolean {
  return text.slice(0, BINARY_SNIFF_BYTES).includes('\u0000');
}

/** True when the first BINARY_SNIFF_BYTES of `head` hold a NUL byte. */
export function looksBinary(head: Uint8Array): boolean {
  return head.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}
