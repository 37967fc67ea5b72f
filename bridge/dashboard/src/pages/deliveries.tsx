/** TODO(#11): being written. */
import { Empty } from '../ui';

export function DeliveriesPage(_props: { params: Record<string, string> }) {
  return <Empty title="Coming soon" />;
}
export function DeliveryPage(_props: { params: Record<string, string> }) {
  return <Empty title="Coming soon" />;
}
