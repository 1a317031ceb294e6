import type { TextDocumentLike } from '../../../core/types';

export function doc(text: string, uri = 'file:///etc/postfix/main.cf'): TextDocumentLike {
  return { uri, getText: () => text };
}

export function codes(problems: { code: string }[]): string[] {
  return problems.map((p) => p.code);
}
