// SPDX-License-Identifier: GPL-2.0

//! Rust twin of the kernel driver tour's random sample, `samples/tour/tour_random.c`.
//!
//! A misc device that reads like `/dev/urandom`: `/dev/rust_tour_random` returns bytes of the
//! kernel's CRNG, as many as are asked for.
//!
//! A read fills the caller's buffer a chunk at a time: random bytes into a kernel chunk, then a
//! copy of just the bytes made. A huge read thus needs no huge kernel buffer, and a pending signal
//! ends it with the bytes copied so far, or with `ERESTARTSYS` when there are none. The chunk is
//! wiped before the read returns. Like `/dev/random`, a read waits until the CRNG is initialized
//! (at once, but for early boot), and with `O_NONBLOCK` fails with `EAGAIN` instead.
//!
//! A write mixes its bytes into the entropy pool, crediting no entropy: like a write to
//! `/dev/urandom`, it can make the output less predictable, never claim that it is.
//!
//! The node is 0644: anyone may read, only root may write. `lseek()` succeeds and moves nothing.

use kernel::{
    fs::{
        file::flags,
        File,
        Kiocb, //
    },
    iov::{
        IovIterDest,
        IovIterSource, //
    },
    miscdevice::{
        Lseek,
        MiscDevice,
        MiscDeviceOptions,
        MiscDeviceRegistration, //
    },
    page::PAGE_SIZE,
    prelude::*,
    random,
    task::might_sleep, //
};

/// Bytes made and copied at a time: a page, as `/dev/urandom` checks for signals every page.
const CHUNK: usize = PAGE_SIZE;

/// Transfers of up to this many bytes, the common case, use a chunk on the stack.
const SMALL: usize = 256;

module! {
    type: RustTourRandomModule,
    name: "rust_tour_random",
    authors: ["Kernel Driver Tour <kdt@example.org>"],
    description: "Kernel driver tour in Rust: a misc device of random bytes",
    license: "GPL",
}

#[pin_data]
struct RustTourRandomModule {
    #[pin]
    _miscdev: MiscDeviceRegistration<RustTourRandom>,
}

impl kernel::InPlaceModule for RustTourRandomModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        let options = MiscDeviceOptions {
            name: c"rust_tour_random",
            mode: 0o644,
            parent: None,
        };

        try_pin_init!(Self {
            _miscdev <- MiscDeviceRegistration::register(options),
        })
    }
}

/// The device; an open file of it keeps no data of its own.
struct RustTourRandom;

#[vtable]
impl MiscDevice for RustTourRandom {
    type Ptr = ();
    type RegistrationData = ();

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result {
        Ok(())
    }

    /// Succeeds and moves nothing, as on `/dev/urandom`.
    fn llseek(_device: (), lseek: Lseek<'_>) -> Result<i64> {
        Ok(lseek.noop())
    }

    fn read_iter(kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        if !random::is_initialized() && (kiocb.file_flags() & flags::O_NONBLOCK) != 0 {
            return Err(EAGAIN);
        }
        random::wait_until_initialized()?;

        let mut small = [0u8; SMALL];
        let mut page;
        let chunk = if iov.len() > SMALL {
            page = KVec::<u8>::zeroed(CHUNK, GFP_KERNEL)?;
            &mut page[..]
        } else {
            &mut small[..]
        };
        let ret = fill(chunk, iov);
        wipe(chunk);
        ret
    }

    fn write_iter(_kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let mut chunk = [0u8; SMALL];
        let ret = mix(&mut chunk, iov);
        wipe(&mut chunk);
        ret
    }
}

/// Fills `iov` with random bytes, made in `chunk` a chunk at a time.
///
/// Returns the number of bytes copied, or an error if none were: [`ERESTARTSYS`] when a signal
/// came before the first chunk, [`EFAULT`] when the first chunk could not be copied.
fn fill(chunk: &mut [u8], iov: &mut IovIterDest<'_>) -> Result<usize> {
    let mut done = 0;

    while !iov.is_empty() {
        if current!().signal_pending() {
            return partial(done, ERESTARTSYS);
        }
        let len = iov.len().min(chunk.len());
        random::fill_bytes(&mut chunk[..len]);
        let copied = iov.copy_to_iter(&chunk[..len]);
        done += copied;
        if copied != len {
            return partial(done, EFAULT);
        }
        might_sleep();
    }
    Ok(done)
}

/// Mixes all of `iov` into the entropy pool, read into `chunk` a chunk at a time.
///
/// Returns the number of bytes mixed in, or an error if none were, as [`fill`] does.
fn mix(chunk: &mut [u8], iov: &mut IovIterSource<'_>) -> Result<usize> {
    let mut done = 0;

    while !iov.is_empty() {
        if current!().signal_pending() {
            return partial(done, ERESTARTSYS);
        }
        let len = iov.len().min(chunk.len());
        let copied = iov.copy_from_iter(&mut chunk[..len]);
        random::add_device_randomness(&chunk[..copied]);
        done += copied;
        if copied != len {
            return partial(done, EFAULT);
        }
        might_sleep();
    }
    Ok(done)
}

/// Returns the `done` bytes of a transfer cut short, or `err` if there are none.
fn partial(done: usize, err: Error) -> Result<usize> {
    if done > 0 {
        Ok(done)
    } else {
        Err(err)
    }
}

/// Zeroes `buf` with stores the compiler cannot drop, as `memzero_explicit()` does.
fn wipe(buf: &mut [u8]) {
    for byte in buf {
        // SAFETY: `byte` comes from a mutable reference, so it is valid for writes and aligned.
        unsafe { core::ptr::write_volatile(byte, 0) };
    }
}
