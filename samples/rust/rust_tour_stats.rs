// SPDX-License-Identifier: GPL-2.0

//! Rust twin of the kernel driver tour's stats sample, `samples/tour/tour_stats.c`.
//!
//! A misc device that counts how it is used: `/dev/rust_tour_stats`.
//!
//! Every read and write call on the node is counted once, however many bytes or buffers it has: the
//! VFS hands each `read()`, `pread()` or `readv()` to `read_iter` once, and each `write()` or
//! `writev()` to `write_iter`; not a `readv()` or `writev()` of no bytes at all, which the VFS ends
//! first, nor a `pwrite()`, which fails with `ESPIPE` as on the C sample's `seq_file`. A read at
//! offset 0 returns one line, "Reads: N, Writes: M\n", which counts that read too; reads further on
//! return the rest of that same line and then end of file, so that cat prints one line and stops. A
//! write is counted and takes the whole buffer without reading it, like a write to `/dev/null`.
//!
//! Each open file keeps its line for the reads after the one that made it, as the C sample's
//! `seq_file` does; `lseek()` moves from the start or the current position only, and makes the
//! line afresh where it moves to. The counters are atomics, shared by all who open the node.
//!
//! The node is 0644: anyone may read the counts, only root may write.

use kernel::{
    fmt::Write,
    fs::{
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
        MiscDeviceRegistration,
        Whence, //
    },
    new_mutex,
    prelude::*,
    str::Formatter,
    sync::{
        atomic::{
            Atomic,
            Relaxed, //
        },
        Mutex, //
    },
};

/// The size of a line: enough for "Reads: N, Writes: M\n" with any two `i64`.
const LINE_SIZE: usize = 64;

/// The number of read calls.
static READS: Atomic<i64> = Atomic::new(0);

/// The number of write calls.
static WRITES: Atomic<i64> = Atomic::new(0);

module! {
    type: RustTourStatsModule,
    name: "rust_tour_stats",
    authors: ["Kernel Driver Tour <kdt@example.org>"],
    description: "Kernel driver tour in Rust: a misc device that counts reads and writes",
    license: "GPL",
}

#[pin_data]
struct RustTourStatsModule {
    #[pin]
    _miscdev: MiscDeviceRegistration<RustTourStats>,
}

impl kernel::InPlaceModule for RustTourStatsModule {
    fn init(_module: &'static ThisModule) -> impl PinInit<Self, Error> {
        let options = MiscDeviceOptions {
            name: c"rust_tour_stats",
            mode: 0o644,
            parent: None,
        };

        try_pin_init!(Self {
            _miscdev <- MiscDeviceRegistration::register(options),
        })
    }
}

/// The line of an open file, as its last read or `lseek()` left it.
struct Line {
    /// The text, `len` bytes of it.
    buf: [u8; LINE_SIZE],
    len: usize,
    /// The offset where the last read ended (or began, if it copied nothing), or where `lseek()`
    /// last moved to: a read there goes on in this line.
    read_pos: i64,
}

impl Line {
    /// Makes the line afresh from the counts.
    fn make(&mut self, reads: i64, writes: i64) -> Result {
        let mut f = Formatter::new(&mut self.buf);

        writeln!(f, "Reads: {reads}, Writes: {writes}")?;
        self.len = f.bytes_written();
        Ok(())
    }

    fn text(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// An open file of the device.
#[pin_data]
struct RustTourStats {
    #[pin]
    line: Mutex<Line>,
}

#[vtable]
impl MiscDevice for RustTourStats {
    type Ptr = Pin<KBox<Self>>;
    type RegistrationData = ();

    const DENY_PWRITE: bool = true;

    fn open(_file: &File, _misc: &MiscDeviceRegistration<Self>) -> Result<Pin<KBox<Self>>> {
        KBox::try_pin_init(
            try_pin_init!(Self {
                line <- new_mutex!(Line {
                    buf: [0; LINE_SIZE],
                    len: 0,
                    read_pos: 0,
                }),
            }),
            GFP_KERNEL,
        )
    }

    /// Moves as `seq_lseek()` does: from the start or the current position, never before 0; a
    /// move away from where the last read ended makes the line afresh there.
    fn llseek(me: Pin<&RustTourStats>, lseek: Lseek<'_>) -> Result<i64> {
        if !matches!(lseek.whence(), Whence::Set | Whence::Cur) {
            return Err(EINVAL);
        }

        let mut line = me.line.lock();
        let pos = lseek.within(i64::MAX, 0)?;
        if pos != line.read_pos {
            line.make(READS.load(Relaxed), WRITES.load(Relaxed))?;
            line.read_pos = pos;
        }
        Ok(pos)
    }

    fn read_iter(mut kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        READS.add(1, Relaxed);
        if iov.is_empty() {
            return Ok(0);
        }

        let me = kiocb.file();
        let pos = kiocb.ki_pos();
        let mut line = me.line.lock();
        // As `seq_read_iter()` does: a read at offset 0, or anywhere but where the last read
        // ended, makes the line afresh; any other goes on in the line already made.
        if pos == 0 || pos != line.read_pos {
            line.make(READS.load(Relaxed), WRITES.load(Relaxed))?;
            line.read_pos = pos;
        }
        let rest = usize::try_from(pos)
            .ok()
            .and_then(|pos| line.text().get(pos..))
            .unwrap_or_default();
        if rest.is_empty() {
            return Ok(0);
        }
        let copied = iov.copy_to_iter(rest);
        if copied == 0 {
            return Err(EFAULT);
        }
        line.read_pos += copied as i64;
        drop(line);
        *kiocb.ki_pos_mut() += copied as i64;
        Ok(copied)
    }

    /// Counts the call and takes the whole buffer unread, as `/dev/null` does.
    fn write_iter(_kiocb: Kiocb<'_, Self::Ptr>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let len = iov.len();

        WRITES.add(1, Relaxed);
        iov.advance(len);
        Ok(len)
    }
}

#[kunit_tests(rust_tour_stats)]
mod tests {
    use super::*;

    /// The line holds the largest counts of either sign.
    #[test]
    fn line_fits_any_counts() -> Result {
        let mut line = Line {
            buf: [0; LINE_SIZE],
            len: 0,
            read_pos: 0,
        };

        line.make(0, 7)?;
        assert_eq!(line.text(), b"Reads: 0, Writes: 7\n");
        line.make(i64::MIN, i64::MAX)?;
        assert_eq!(
            line.text(),
            b"Reads: -9223372036854775808, Writes: 9223372036854775807\n"
        );
        Ok(())
    }
}
