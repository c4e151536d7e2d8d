// SPDX-License-Identifier: GPL-2.0

//! Random numbers from the kernel's cryptographic random number generator (CRNG).
//!
//! This is the generator behind `/dev/urandom` and `getrandom(2)`.
//!
//! C header: [`include/linux/random.h`](srctree/include/linux/random.h).

use crate::{
    bindings,
    error::to_result,
    prelude::*, //
};

/// Fills `dest` with random bytes.
///
/// The bytes are as good as those of `/dev/urandom`. This function never waits: early in boot,
/// before [`is_initialized`] returns `true`, the bytes are not guaranteed to be unpredictable.
/// Callers that need that guarantee call [`wait_until_initialized`] first.
///
/// # Examples
///
/// ```
/// use kernel::random;
///
/// let mut key = [0u8; 32];
/// random::fill_bytes(&mut key);
///
/// // Thirty-two zero bytes come once in 2^256 draws.
/// assert!(key != [0u8; 32]);
/// ```
#[inline]
pub fn fill_bytes(dest: &mut [u8]) {
    // SAFETY: `dest` is valid for writes of `dest.len()` bytes, and `get_random_bytes()` writes
    // exactly that many.
    unsafe { bindings::get_random_bytes(dest.as_mut_ptr().cast(), dest.len()) };
}

/// Returns whether the CRNG is initialized.
///
/// Once it is, it stays so, and the bytes of [`fill_bytes`] are cryptographically secure. This is
/// the case but early in boot.
#[inline]
pub fn is_initialized() -> bool {
    // SAFETY: Always safe to call.
    unsafe { bindings::rng_is_initialized() }
}

/// Waits until the CRNG is initialized.
///
/// Returns at once if it already is. Fails with [`ERESTARTSYS`] if a signal interrupts the wait.
///
/// This function may sleep.
///
/// # Examples
///
/// ```
/// use kernel::random;
///
/// // Once the CRNG is initialized, the wait is over at once.
/// if random::is_initialized() {
///     assert!(random::wait_until_initialized().is_ok());
/// }
/// ```
#[inline]
pub fn wait_until_initialized() -> Result {
    // SAFETY: Always safe to call.
    to_result(unsafe { bindings::wait_for_random_bytes() })
}

/// Mixes `data` into the entropy pool, crediting no entropy.
///
/// Like a write to `/dev/urandom`, this can make the output of the CRNG less predictable, never
/// claim that it is. It suits data that differ between devices or boots, such as serial numbers.
///
/// # Examples
///
/// ```
/// use kernel::random;
///
/// random::add_device_randomness(b"serial number 0123456789");
/// ```
#[inline]
pub fn add_device_randomness(data: &[u8]) {
    // SAFETY: `data` is valid for reads of `data.len()` bytes.
    unsafe { bindings::add_device_randomness(data.as_ptr().cast(), data.len()) };
}
