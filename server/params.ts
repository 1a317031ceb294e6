/** A parameter's postconf(5) link, when it has one (diagnostic codes link there). */
import { getParam } from '../core/params';

export function postconfUrl(name: string): string | undefined {
  return getParam(name)?.url;
}
