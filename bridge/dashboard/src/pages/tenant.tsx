/** TODO(#11): being written. */
import { Empty } from '../ui';

export function TenantSubscriptionsPage(_props: { params: Record<string, string> }) {
  return <Empty title="Coming soon" />;
}
export function TenantSubscriptionPage(_props: { params: Record<string, string> }) {
  return <Empty title="Coming soon" />;
}
