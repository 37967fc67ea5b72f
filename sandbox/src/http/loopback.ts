/** Loopback addresses: where the admin API may answer. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.replace(/^\[|\]$/g, '').toLowerCase();
  return a === 'localhost' || a === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(a);
}
