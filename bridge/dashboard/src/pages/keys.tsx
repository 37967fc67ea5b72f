/** TODO(#11): being written. */
import { Empty } from '../ui';

export function KeysPage(_props: { params: Record<string, string> }) {
  return <Empty title="Coming soon" />;
}
