// SPDX-License-Identifier: GPL-2.0

//! Rust twin of the kernel driver tour's store sample, `samples/tour/tour_store.c`.
//!
//! A misc device that keeps what is written to it: `/dev/rust_tour_store`.
//!
//! Each write replaces the whole content with its buffer, whatever the file position, which it
//! leaves alone; a zero-length write empties the store. A write larger than `max_size` (a module
//! parameter) fails with `EFBIG`, one from a bad buffer with `EFAULT`, and either leaves the old
//! content as it was. A read returns the content from the file position on, then end of file, and
//! `lseek()` moves in it (`SEEK_END` is the end of the current content).
//!
//! A mutex guards the content. A write fills a new content before it takes the lock and swaps it
//! in under it; a read copies out under the lock. So a read returns bytes of one content, never
//! half old and half new.
//!
//! The node is 0600: everyone who opens it shares the content, so only root may read or change it.
//! An open file holds the module.
//!
//! The ioctls are those of `samples/tour/tour_store.h`: `TOUR_STORE_HELLO` logs a greeting,
//! `TOUR_STORE_GET_VALUE` and `TOUR_STORE_SET_VALUE` read and set an `int` kept beside the
//! content (setting it needs a file open for writing, else `EBADF`). Any other ioctl fails with
//! `ENOTTY`.

use kernel::{
    fs::{
        file::flags,
        File,
        Kiocb, //
    },
    ioctl::{
        _IO,
        _IOR,
        _IOW, //
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
    num::casts::FromSafeCast,
    prelude::*,
    sizes::SizeConstants,
    uaccess::UserSlice, //
};
use pin_init::pin_init_scope;

/// The default size limit of the content.
const MAX_SIZE: u32 = u32::SZ_1M;

/// The largest size limit allowed.
const LIMIT: u32 = u32::SZ_64M;

const TOUR_STORE_HELLO: u32 = _IO('|' as u32, 0x80);
const TOUR_STORE_GET_VALUE: u32 = _IOR::<c_int>('|' as u32, 0x81);
const TOUR_STORE_SET_VALUE: u32 = _IOW::<c_int>('|' as u32, 0x82);

module! {
    type: RustTourStoreModule,
    name: "rust_tour_store",
    authors: ["Kernel Driver Tour <kdt@example.org>"],
    description: "Kernel driver tour in Rust: a misc device that keeps what is written",
    license: "GPL",
    params: {
        max_size: u32 {
            default: crate::MAX_SIZE,
            description: "Largest content in bytes, 1 to 64 MiB (default: 1 MiB)",
        },
    },
}

/// The state of the device, shared by all who open it.
struct Store {
    /// The content.
    data: KVVec<u8>,
    /// The `int` of the `GET_VALUE` and `SET_VALUE` ioctls.
    value: c_int,
}

kernel::sync::global_lock! {
    // SAFETY: Initialized in the module initializer, before the device is registered.
    unsafe(uninit) static STORE: Mutex<Store> = Store {
        data: KVVec::new(),
        value: 0,
    };
}

/// The size of the largest content a write may store.
fn max_size() -> usize {
    usize::from_safe_cast(module_parameters::max_size.value())
}

#[pin_data(PinnedDrop)]
struct RustTourStoreModule {
    #[pin]
    _miscdev: MiscDeviceRegistration<RustTourStore>,
}

impl kernel::InPlaceModule for RustTourStoreModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        pin_init_scope(|| {
            let max_size = module_parameters::max_size.value();
            if max_size == 0 || max_size > LIMIT {
                pr_err!("max_size={} is out of range 1..{}\n", max_size, LIMIT);
                return Err(EINVAL);
            }

            // SAFETY: Called exactly once, before the device can be opened.
            unsafe { STORE.init() };

            let options = MiscDeviceOptions {
                name: c"rust_tour_store",
                mode: 0o600,
                parent: None,
            };

            Ok(try_pin_init!(Self {
                _miscdev <- MiscDeviceRegistration::register(options),
            }))
        })
    }
}

#[pinned_drop]
impl PinnedDrop for RustTourStoreModule {
    fn drop(self: Pin<&mut Self>) {
        // Statics are never dropped: free the content here, before the device goes. No file is
        // open, as each holds the module, and none can be opened while the module goes.
        STORE.lock().data = KVVec::new();
    }
}

/// An open file of the device: all the state is in [`STORE`].
struct RustTourStore;

#[vtable]
impl MiscDevice for RustTourStore {
    type Ptr = ();
    type RegistrationData = ();

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result {
        Ok(())
    }

    /// Copies the content from the file position on, all of it from one content.
    fn read_iter(mut kiocb: Kiocb<'_, ()>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        // A mutex, not a spinlock: the copy may fault pages in and sleep.
        let store = STORE.lock();
        let rest = usize::try_from(kiocb.ki_pos())
            .ok()
            .and_then(|pos| store.data.get(pos..))
            .unwrap_or_default();
        if rest.is_empty() || iov.is_empty() {
            return Ok(0);
        }
        let copied = iov.copy_to_iter(rest);
        drop(store);

        if copied == 0 {
            return Err(EFAULT);
        }
        *kiocb.ki_pos_mut() += copied as i64;
        Ok(copied)
    }

    /// Replaces the content with all of `iov`.
    ///
    /// The new content is filled before the lock is taken, so that a write that faults leaves the
    /// old one whole.
    fn write_iter(_kiocb: Kiocb<'_, ()>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let len = iov.len();
        if len > max_size() {
            return Err(EFBIG);
        }

        // The content is memory that user space asks for: charge its cgroup.
        let mut data = KVVec::new();
        if iov.copy_from_iter_vec(&mut data, GFP_KERNEL_ACCOUNT)? != len {
            return Err(EFAULT);
        }

        // The old content is freed once the lock is released.
        let _old = core::mem::replace(&mut STORE.lock().data, data);
        Ok(len)
    }

    /// Seeks in offsets 0 to `max_size`; `SEEK_END` is the current content's end.
    fn llseek(_device: (), lseek: Lseek<'_>) -> Result<i64> {
        let len = STORE.lock().data.len();
        lseek.within(max_size() as i64, len as i64)
    }

    fn ioctl(_device: (), file: &File, cmd: u32, arg: usize) -> Result<isize> {
        let arg = UserSlice::new(UserPtr::from_addr(arg), size_of::<c_int>());

        match cmd {
            TOUR_STORE_HELLO => {
                pr_info!("Hello from the rust_tour_store misc device\n");
            }
            TOUR_STORE_GET_VALUE => {
                let value = STORE.lock().value;
                arg.writer().write(&value)?;
            }
            TOUR_STORE_SET_VALUE => {
                if !matches!(
                    file.flags() & flags::O_ACCMODE,
                    flags::O_WRONLY | flags::O_RDWR
                ) {
                    return Err(EBADF);
                }
                let value = arg.reader().read::<c_int>()?;
                STORE.lock().value = value;
            }
            _ => return Err(ENOTTY),
        }
        Ok(0)
    }
}
