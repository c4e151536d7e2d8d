// SPDX-License-Identifier: GPL-2.0

//! Rust twin of the kernel driver tour's driver for QEMU's edu device, `drivers/misc/qemu_edu/`.
//!
//! The device (PCI 1234:11e8, `qemu -device edu`) has a memory BAR of registers, one interrupt
//! (MSI, or the shared INTx line), a DMA engine that moves data between a 4 KiB buffer inside the
//! device and the guest's memory, and a unit that computes factorials. The register map is the
//! C driver's; this driver uses 32-bit accesses only, which every register takes.
//!
//! Each device gets `/dev/rust_qemu_eduN` (0600), a misc device that is a child of the PCI
//! device. `read()` and `write()` at a file position move data through the device's buffer by
//! DMA, through a coherent buffer at a bus address below 256 MiB (the device masks its RAM
//! addresses to 28 bits). The file is 4095 bytes long, since QEMU 7.2 aborts on a transfer that
//! reaches the buffer's last byte: reads stop there, writes that begin there fail with `EFBIG`,
//! writes across it are short, and `lseek()` beyond it fails with `EINVAL`. The ioctl
//! `QEMU_EDU_IOC_FACTORIAL` of `include/uapi/misc/qemu_edu.h` computes one factorial.
//!
//! Unlike the C driver, the device has no sysfs attributes (`id`, `liveness`, `factorial`): the
//! kernel crate cannot give a PCI driver's devices attributes yet.
//!
//! One operation at a time runs on a device, under a mutex. Operations sleep on the device's
//! interrupt, with a timeout (`ETIMEDOUT`), and end only once the device is idle, so that a late
//! interrupt of an operation that timed out cannot end the next one early.
//!
//! Unbinding is safe with files open and operations running: `unbind()` removes the node first,
//! so that no one opens the device after it, then takes the mutex, which waits for the operation
//! in progress, waits for the device to go idle, turns bus mastering off and marks the device
//! removed. Open files hold the device's state, and fail with `ENODEV` from then on; the
//! registers and the DMA buffer are device resources, revoked after `unbind()`.
//!
//! The devices are numbered from a 64-bit map: a 65th fails to probe with `ENOSPC`.
//!
//! Try it (QEMU with `-device edu`):
//!
//! ```text
//! modprobe rust_qemu_edu
//! echo hello > /dev/rust_qemu_edu0; head -c 5 /dev/rust_qemu_edu0
//! ```

use kernel::{
    device::Core,
    devres::Devres,
    dma::{
        Coherent,
        CoherentBox,
        Device as _,
        DmaMask, //
    },
    driver,
    fs::{
        File,
        Kiocb, //
    },
    io::{
        poll::read_poll_timeout,
        Io, //
    },
    ioctl::_IOWR,
    iov::{
        IovIterDest,
        IovIterSource, //
    },
    irq::{
        self,
        IrqReturn, //
    },
    miscdevice::{
        Lseek,
        MiscDevice,
        MiscDeviceOptions,
        MiscDeviceRegistration, //
    },
    pci,
    prelude::*,
    revocable::Revocable,
    str::CString,
    sync::{
        new_condvar,
        new_mutex,
        new_spinlock_irq,
        Arc,
        ArcBorrow,
        CondVar,
        CondVarTimeoutResult,
        Mutex,
        MutexGuard,
        SpinLockIrq, //
    },
    time::{
        msecs_to_jiffies,
        Delta, //
    },
    uaccess::UserSlice,
    uapi, //
};

/// pci_ids.h has neither QEMU's vendor ID nor the edu device's.
const PCI_VENDOR_ID_QEMU: u16 = 0x1234;
const PCI_DEVICE_ID_QEMU_EDU: u32 = 0x11e8;

/// The registers, as offsets in BAR0.
const REG_ID: usize = 0x00;
const REG_LIVENESS: usize = 0x04;
const REG_FACT: usize = 0x08;
const REG_STATUS: usize = 0x20;
const REG_IRQ_STATUS: usize = 0x24;
const REG_IRQ_ACK: usize = 0x64;
const REG_DMA_SRC: usize = 0x80;
const REG_DMA_DST: usize = 0x88;
const REG_DMA_COUNT: usize = 0x90;
const REG_DMA_CMD: usize = 0x98;
/// All registers lie in the first 256 bytes of the BAR.
const REGS_SIZE: usize = 0x100;

/// The identification register's low half.
const ID_MASK: u32 = 0xffff;
const ID_MAGIC: u32 = 0x00ed;

/// The bits of the status register.
const STATUS_BUSY: u32 = 1 << 0;
const STATUS_IRQ_FACT: u32 = 1 << 7;

/// The bits of the interrupt status and acknowledge registers.
const IRQ_FACT: u32 = 1 << 0;
const IRQ_DMA: u32 = 1 << 8;

/// The bits of the DMA command register.
const DMA_START: u32 = 1 << 0;
const DMA_TO_RAM: u32 = 1 << 1;
const DMA_IRQ: u32 = 1 << 2;

/// The device's buffer, at this device address.
const DMA_BASE: u32 = 0x40000;
const DMA_BUF_SIZE: usize = 4096;
/// The part of it the driver uses, the size of the file: all but the last byte (QEMU 7.2).
const DMA_SIZE: usize = DMA_BUF_SIZE - 1;
/// The device masks its RAM addresses to 28 bits.
const DMA_BITS: u32 = 28;

/// How long an operation waits for its interrupt; a transfer takes 100 ms.
const TIMEOUT_MS: u32 = 5000;
/// How often `unbind()` and probe look whether the device is idle.
const POLL_MS: i64 = 10;

/// The liveness check's patterns, whose inverses the device must give back.
const PATTERNS: [u32; 2] = [0x5a5a_a5a5, 0x1234_5678];

const QEMU_EDU_IOC_FACTORIAL: u32 =
    _IOWR::<uapi::qemu_edu_factorial>(uapi::QEMU_EDU_IOC_MAGIC, 0x00);

type Bar<'a> = pci::Bar<'a, REGS_SIZE>;

kernel::sync::global_lock! {
    // SAFETY: Initialized in the module initializer, before the driver is registered.
    unsafe(uninit) static IDS: Mutex<u64> = 0;
}

/// The N of `/dev/rust_qemu_eduN`, bit N of [`IDS`], given back when dropped.
struct Id(u32);

impl Id {
    /// The lowest free number; `ENOSPC` beyond 63 (C's ida has no limit).
    fn new() -> Result<Self> {
        let mut ids = IDS.lock();
        let id = (!*ids).trailing_zeros();
        if id == u64::BITS {
            return Err(ENOSPC);
        }
        *ids |= 1 << id;
        Ok(Id(id))
    }
}

impl Drop for Id {
    fn drop(&mut self) {
        *IDS.lock() &= !(1 << self.0);
    }
}

/// Whether the device still works on what `irq_bit` will signal the end of. A device that is
/// gone (surprise removal) reads all ones: it is not busy.
fn busy(bar: &Bar<'_>, irq_bit: u32) -> bool {
    let val = if irq_bit == IRQ_FACT {
        bar.read32(REG_STATUS) & STATUS_BUSY
    } else {
        bar.read32(REG_DMA_CMD) & DMA_START
    };
    val != 0 && bar.read32(REG_ID) != !0
}

/// Leaves the device with no interrupt to come: no factorial interrupt, nothing running (for up
/// to the timeout), no interrupt status bit set.
fn quiesce(bar: &Bar<'_>) -> Result {
    let idle = |irq_bit| {
        read_poll_timeout(
            || Ok(busy(bar, irq_bit)),
            |busy| !busy,
            Delta::from_millis(POLL_MS),
            Delta::from_millis(TIMEOUT_MS.into()),
        )
    };

    bar.write32(0, REG_STATUS);
    let fact = idle(IRQ_FACT);
    let dma = idle(IRQ_DMA);
    bar.write32(bar.read32(REG_IRQ_STATUS), REG_IRQ_ACK);
    fact.and(dma).map(|_| ())
}

/// Checks that the registers belong to a working edu device.
fn check(bar: &Bar<'_>) -> Result {
    if bar.read32(REG_ID) & ID_MASK != ID_MAGIC {
        return Err(ENODEV);
    }
    for pattern in PATTERNS {
        bar.write32(pattern, REG_LIVENESS);
        if bar.read32(REG_LIVENESS) != !pattern {
            return Err(ENODEV);
        }
    }
    Ok(())
}

/// Whether a transfer of `len` bytes at `off` of the device's buffer is one that QEMU 7.2
/// survives: not empty, and ending before the buffer's last byte. Every transfer passes here.
fn dma_check(off: usize, len: usize) -> Result {
    if len == 0 || off >= DMA_SIZE || len > DMA_SIZE - off {
        return Err(EINVAL);
    }
    Ok(())
}

/// The bytes a read or write of `count` at `pos` moves: 0 for none, fewer than `count` across
/// the end, `EFBIG` for a write that begins at or past the end.
fn io_len(pos: i64, count: usize, write: bool) -> Result<usize> {
    let pos = usize::try_from(pos).map_err(|_| EINVAL)?;
    if count == 0 {
        return Ok(0);
    }
    if pos >= DMA_SIZE {
        return if write { Err(EFBIG) } else { Ok(0) };
    }
    Ok(count.min(DMA_SIZE - pos))
}

/// What the mutex of a device protects.
struct State {
    /// The device is gone: operations fail with `ENODEV`.
    removed: bool,
}

/// The state of one edu device, shared by its driver data, its interrupt handler and its open
/// files.
#[pin_data]
struct Edu {
    /// The registers; used only under `lock` while not removed, and by the interrupt handler.
    bar: pci::DevresBar<REGS_SIZE>,
    /// The coherent DMA buffer, the RAM side of each transfer; used under `lock`.
    buf: Devres<Coherent<[u8]>>,
    /// One operation at a time on the device.
    #[pin]
    lock: Mutex<State>,
    /// The interrupt status bits the handler acknowledged and no waiter has consumed yet.
    #[pin]
    irq_seen: SpinLockIrq<u32>,
    /// Notified by the interrupt handler.
    #[pin]
    irq_wait: CondVar,
}

impl Edu {
    /// Runs `f` on the registers: `ENODEV` once they are revoked.
    fn regs<R>(&self, f: impl for<'a> FnOnce(&Bar<'a>) -> R) -> Result<R> {
        self.bar.try_access_with(f).ok_or(ENODEV)
    }

    /// Takes the device for one operation: `ENODEV` once it is gone.
    fn begin(&self) -> Result<MutexGuard<'_, State>> {
        let state = self.lock.lock();
        if state.removed {
            return Err(ENODEV);
        }
        Ok(state)
    }

    /// Gets ready to wait for `irq_bit`: forgets an earlier one.
    fn arm(&self, irq_bit: u32) {
        *self.irq_seen.lock() &= !irq_bit;
    }

    /// Waits for the interrupt of the operation started after [`Edu::arm`]. An interrupt while
    /// the device is busy is a late one, of an operation that timed out: it keeps waiting. Not
    /// interruptible, so that no operation is left half done while the device still works on it.
    fn wait(&self, irq_bit: u32) -> Result {
        let mut left = msecs_to_jiffies(TIMEOUT_MS);
        loop {
            // Looked at before any sleep: the interrupt may have come already.
            let mut seen = self.irq_seen.lock();
            if *seen & irq_bit == 0 {
                if left == 0 {
                    return Err(ETIMEDOUT);
                }
                left = match self.irq_wait.wait_timeout(&mut seen, left) {
                    CondVarTimeoutResult::Woken { jiffies } => jiffies,
                    _ => 0,
                };
                continue;
            }
            *seen &= !irq_bit;
            drop(seen);
            if !self.regs(|bar| busy(bar, irq_bit))? {
                return Ok(());
            }
        }
    }

    /// Starts an operation whose end `irq_bit` signals, with `start` writing its registers, and
    /// waits for that end. The device ignores a start while it is busy with the same unit.
    fn run(&self, irq_bit: u32, start: impl for<'a> FnOnce(&Bar<'a>)) -> Result {
        self.regs(|bar| {
            if busy(bar, irq_bit) {
                return Err(EBUSY);
            }
            self.arm(irq_bit);
            start(bar);
            Ok(())
        })??;
        self.wait(irq_bit)
    }

    /// Computes `n!` under the lock, which `_state` shows is held.
    fn factorial_locked(&self, _state: &mut State, n: u32) -> Result<u32> {
        self.run(IRQ_FACT, |bar| {
            bar.write32(STATUS_IRQ_FACT, REG_STATUS);
            bar.write32(n, REG_FACT);
        })?;
        self.regs(|bar| bar.read32(REG_FACT))
    }

    /// Computes `n!` on the device, for the ioctl.
    fn factorial(&self, n: u32) -> Result<u32> {
        if n > uapi::QEMU_EDU_FACT_MAX {
            return Err(EINVAL);
        }
        let mut state = self.begin()?;
        self.factorial_locked(&mut state, n)
    }

    /// Moves `len` bytes between `off` of the device's buffer and `off` of the coherent buffer,
    /// into RAM if `to_ram`, and waits for the end.
    fn dma(&self, _state: &mut State, off: usize, len: usize, to_ram: bool) -> Result {
        dma_check(off, len)?;
        let ram = self
            .buf
            .try_access_with(|buf| buf.dma_address())
            .ok_or(ENODEV)?;
        // The DMA mask keeps the buffer below 2^28, and `dma_check()` the offset in it.
        let ram = u32::try_from(ram + off as u64)?;
        let dev = DMA_BASE + off as u32;
        let (src, dst) = if to_ram { (dev, ram) } else { (ram, dev) };
        let cmd = DMA_START | DMA_IRQ | if to_ram { DMA_TO_RAM } else { 0 };

        self.run(IRQ_DMA, |bar| {
            // `write32()` orders the buffer's contents before the start.
            bar.write32(src, REG_DMA_SRC);
            bar.write32(dst, REG_DMA_DST);
            bar.write32(len as u32, REG_DMA_COUNT);
            bar.write32(cmd, REG_DMA_CMD);
        })
    }

    /// Reads from the device's buffer at `pos` into `iov`, by DMA. The user's memory is
    /// touched out of the lock, through a bounce buffer, so that a page fault that never ends
    /// cannot hold `unbind()` up.
    fn read_at(&self, pos: i64, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let len = io_len(pos, iov.len(), false)?;
        if len == 0 {
            return Ok(0);
        }
        let off = pos as usize;
        let mut bounce = KVec::from_elem(0u8, len, GFP_KERNEL)?;

        let mut state = self.begin()?;
        self.dma(&mut state, off, len, true)?;
        self.buf
            .try_access_with(|buf| {
                // SAFETY: The device is idle, as `dma()` returned `Ok`, and under `state` no
                // one else touches the buffer.
                bounce.copy_from_slice(&unsafe { buf.as_ref() }[off..off + len]);
            })
            .ok_or(ENODEV)?;
        drop(state);

        match iov.copy_to_iter(&bounce) {
            0 => Err(EFAULT),
            copied => Ok(copied),
        }
    }

    /// Writes `iov` into the device's buffer at `pos`, through a bounce buffer and DMA.
    fn write_at(&self, pos: i64, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let len = io_len(pos, iov.len(), true)?;
        if len == 0 {
            return Ok(0);
        }
        let off = pos as usize;
        let mut bounce = KVec::from_elem(0u8, len, GFP_KERNEL)?;
        if iov.copy_from_iter(&mut bounce) != len {
            return Err(EFAULT);
        }

        let mut state = self.begin()?;
        // Not into a buffer that a transfer which timed out may still fill.
        if self.regs(|bar| busy(bar, IRQ_DMA))? {
            return Err(EBUSY);
        }
        self.buf
            .try_access_with(|buf| {
                // SAFETY: The device is idle, and under `state` no one else touches the buffer.
                let dst = unsafe { buf.as_mut() };
                dst[off..off + len].copy_from_slice(&bounce);
            })
            .ok_or(ENODEV)?;
        self.dma(&mut state, off, len, false)?;
        Ok(len)
    }
}

/// The interrupt handler of a device.
struct EduIrq(Arc<Edu>);

impl irq::Handler for EduIrq {
    /// On INTx the line may be shared: a zero status is another device's interrupt (and all
    /// ones, a device that is gone). Every bit found is acknowledged, or the line would stay up.
    fn handle(&self) -> IrqReturn {
        let edu = &self.0;
        let status = edu.regs(|bar| {
            let status = bar.read32(REG_IRQ_STATUS);
            if status != 0 && status != !0 {
                bar.write32(status, REG_IRQ_ACK);
            }
            status
        });
        match status {
            Ok(status) if status != 0 && status != !0 => {
                *edu.irq_seen.lock() |= status;
                edu.irq_wait.notify_all();
                IrqReturn::Handled
            }
            _ => IrqReturn::None,
        }
    }
}

#[vtable]
impl MiscDevice for Edu {
    type Ptr = Arc<Edu>;
    type RegistrationData = Arc<Edu>;

    fn open(_file: &File, misc: &MiscDeviceRegistration<Self>) -> Result<Arc<Edu>> {
        Ok(misc.data().clone())
    }

    fn read_iter(mut kiocb: Kiocb<'_, Arc<Edu>>, iov: &mut IovIterDest<'_>) -> Result<usize> {
        let read = kiocb.file().read_at(kiocb.ki_pos(), iov)?;
        *kiocb.ki_pos_mut() += read as i64;
        Ok(read)
    }

    fn write_iter(mut kiocb: Kiocb<'_, Arc<Edu>>, iov: &mut IovIterSource<'_>) -> Result<usize> {
        let written = kiocb.file().write_at(kiocb.ki_pos(), iov)?;
        *kiocb.ki_pos_mut() += written as i64;
        Ok(written)
    }

    /// Offsets 0 to the file's size, which `SEEK_END` is.
    fn llseek(_edu: ArcBorrow<'_, Edu>, lseek: Lseek<'_>) -> Result<i64> {
        lseek.within(DMA_SIZE as i64, DMA_SIZE as i64)
    }

    fn ioctl(edu: ArcBorrow<'_, Edu>, _file: &File, cmd: u32, arg: usize) -> Result<isize> {
        if cmd != QEMU_EDU_IOC_FACTORIAL {
            return Err(ENOTTY);
        }
        let size = size_of::<uapi::qemu_edu_factorial>();
        let (mut reader, mut writer) =
            UserSlice::new(UserPtr::from_addr(arg), size).reader_writer();
        // The two `__u32` of `struct qemu_edu_factorial`: `n` in, then `n` and `result` out.
        let n: u32 = reader.read()?;
        let result = edu.factorial(n)?;
        writer.write(&n)?;
        writer.write(&result)?;
        Ok(0)
    }
}

/// The driver's data for one bound device. `unbind()` revokes the node; the other fields drop
/// after it, the interrupt before the vectors.
#[pin_data]
struct EduData<'bound> {
    #[pin]
    misc: Revocable<MiscDeviceRegistration<Edu>>,
    #[pin]
    irq: irq::Registration<'bound, EduIrq>,
    edu: Arc<Edu>,
    _id: Id,
}

struct EduDriver;

kernel::pci_device_table!(
    PCI_TABLE,
    <EduDriver as pci::Driver>::IdInfo,
    [(
        pci::DeviceId::from_id(
            pci::Vendor::from_raw(PCI_VENDOR_ID_QEMU),
            PCI_DEVICE_ID_QEMU_EDU
        ),
        ()
    )]
);

impl pci::Driver for EduDriver {
    type IdInfo = ();
    type Data<'bound> = EduData<'bound>;

    const ID_TABLE: pci::IdTable<Self::IdInfo> = &PCI_TABLE;

    fn probe<'bound>(
        pdev: &'bound pci::Device<Core<'_>>,
        _info: Option<&'bound Self::IdInfo>,
    ) -> impl PinInit<Self::Data<'bound>, Error> + 'bound {
        pin_init::pin_init_scope(move || {
            pdev.enable_device_mem()?;
            let id = Id::new()?;
            let name = CString::try_from_fmt(fmt!("rust_qemu_edu{}", id.0))?;

            let bar = pdev.iomap_region_sized::<REGS_SIZE>(0, c"rust_qemu_edu")?;
            if let Err(err) = check(&bar) {
                dev_err!(
                    pdev,
                    "no working edu device: id {:#010x}\n",
                    bar.read32(REG_ID)
                );
                return Err(err);
            }
            let version = bar.read32(REG_ID) >> 16;
            // Whatever ran before, stopped before bus mastering is turned on.
            quiesce(&bar).inspect_err(|_| dev_err!(pdev, "the device stays busy\n"))?;

            // SAFETY: Nothing allocates or maps DMA memory for the device yet.
            unsafe { pdev.dma_set_mask_and_coherent(DmaMask::new::<DMA_BITS>())? };
            let buf = CoherentBox::<[u8]>::zeroed_slice(pdev.as_ref(), DMA_BUF_SIZE, GFP_KERNEL)?;

            let edu = Arc::pin_init(
                try_pin_init!(Edu {
                    bar: bar.into_devres()?,
                    buf: Devres::new(pdev.as_ref(), Coherent::from(buf))?,
                    lock <- new_mutex!(State { removed: false }),
                    irq_seen <- new_spinlock_irq!(0),
                    irq_wait <- new_condvar!(),
                }),
                GFP_KERNEL,
            )?;

            // One vector, MSI if it can be had, else the INTx line, which is shared.
            let types = pci::IrqTypes::default()
                .with(pci::IrqType::Msi)
                .with(pci::IrqType::Intx);
            let vectors = pdev.alloc_irq_vectors_bound(1, 1, types)?;
            let msi = matches!(vectors.irq_type(), pci::IrqType::Msi);
            let flags = if msi {
                irq::Flags::TRIGGER_NONE
            } else {
                irq::Flags::SHARED
            };
            let request = vectors.request(0)?;
            let handler = EduIrq(edu.clone());
            let misc_data = edu.clone();

            // Before the interrupt is checked: an MSI is a write by the device.
            pdev.set_master();
            Ok(try_pin_init!(EduData {
                // SAFETY: The registration is in the driver's data, which is dropped, not
                // forgotten, when the driver is unbound.
                irq <- unsafe {
                    irq::Registration::new(request, flags, c"rust_qemu_edu", Ok(handler))
                },
                // 0! through the interrupt: the vector works.
                _: {
                    let mut state = edu.lock.lock();
                    let fact = edu.factorial_locked(&mut state, 0);
                    if fact != Ok(1) {
                        dev_err!(pdev, "the factorial interrupt does not work\n");
                        pdev.clear_master();
                        return Err(fact.err().unwrap_or(EIO));
                    }
                },
                // Last: once registered, the device can be opened.
                misc <- Revocable::new(MiscDeviceRegistration::register_with_data(
                    MiscDeviceOptions {
                        name: &name,
                        mode: 0o600,
                        parent: Some(pdev.as_ref()),
                    },
                    Ok(misc_data),
                )),
                _: {
                    dev_info!(
                        pdev,
                        "edu {}.{}, {} interrupt, /dev/{}\n",
                        version >> 8,
                        version & 0xff,
                        if msi { "MSI" } else { "INTx" },
                        name.to_str()?
                    );
                },
                edu,
                _id: id,
            }))
        })
    }

    /// The node goes first, as the C driver's does. The mutex waits for the operation in
    /// progress; open files find the device removed after it. Bus mastering goes off before the
    /// buffer is freed, even if a transfer never ended.
    fn unbind<'bound>(pdev: &'bound pci::Device<Core<'_>>, this: Pin<&Self::Data<'bound>>) {
        this.misc.revoke();
        let mut state = this.edu.lock.lock();
        state.removed = true;
        let quiet = this
            .edu
            .bar
            .access(pdev.as_ref())
            .and_then(|bar| quiesce(bar));
        if quiet.is_err() {
            dev_warn!(pdev, "the device stayed busy\n");
        }
        pdev.clear_master();
    }
}

#[pin_data]
struct RustQemuEduModule {
    #[pin]
    _driver: driver::Registration<pci::Adapter<EduDriver>>,
}

impl kernel::InPlaceModule for RustQemuEduModule {
    fn init(module: &'static ThisModule) -> impl PinInit<Self, Error> {
        // SAFETY: Called exactly once, before the driver is registered.
        unsafe { IDS.init() };

        try_pin_init!(Self {
            _driver <- driver::Registration::new(c"rust_qemu_edu", module),
        })
    }
}

module! {
    type: RustQemuEduModule,
    name: "rust_qemu_edu",
    authors: ["Kernel Driver Tour <kdt@example.org>"],
    description: "Kernel driver tour in Rust: a driver for QEMU's edu device",
    license: "GPL",
}

#[kunit_tests(rust_qemu_edu)]
mod tests {
    use super::*;

    /// No transfer that QEMU 7.2 aborts on passes: empty, or reaching the buffer's last byte.
    #[test]
    fn dma_check_keeps_qemu_alive() {
        assert_eq!(dma_check(0, 1), Ok(()));
        assert_eq!(dma_check(0, DMA_SIZE), Ok(()));
        assert_eq!(dma_check(DMA_SIZE - 1, 1), Ok(()));
        assert_eq!(dma_check(0, 0), Err(EINVAL));
        assert_eq!(dma_check(0, DMA_BUF_SIZE), Err(EINVAL));
        assert_eq!(dma_check(DMA_SIZE, 1), Err(EINVAL));
        assert_eq!(dma_check(1, DMA_SIZE), Err(EINVAL));
        assert_eq!(dma_check(usize::MAX, 2), Err(EINVAL));
    }

    /// Reads stop at the end of the file, writes there fail, and both are short across it.
    #[test]
    fn io_len_is_the_files() {
        let end = DMA_SIZE as i64;

        assert_eq!(io_len(0, 0, true), Ok(0));
        assert_eq!(io_len(end, 0, true), Ok(0));
        assert_eq!(io_len(0, 10, false), Ok(10));
        assert_eq!(io_len(end - 1, 10, false), Ok(1));
        assert_eq!(io_len(end - 1, 10, true), Ok(1));
        assert_eq!(io_len(end, 1, false), Ok(0));
        assert_eq!(io_len(end, 1, true), Err(EFBIG));
        assert_eq!(io_len(i64::MAX, 1, true), Err(EFBIG));
        assert_eq!(io_len(-1, 1, false), Err(EINVAL));
    }
}
