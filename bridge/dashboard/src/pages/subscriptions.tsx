/** TODO(#11): being written. */
import { Empty } from '../ui';

export function SubscriptionsPage(_props: { params: Record<string, string> }) {
  return <Empty title="Coming soon" />;
}
