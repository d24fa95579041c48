"""POS hardware: ESC/POS receipt printers, cash drawers, scanners and customer displays.

Qt-free. Pure byte builders: ``commands`` (golden-tested ESC/POS sequences), ``receipt_layout``
+ ``receipt_builder`` (receipt document -> bytes, fixed code page re-selected after every
``ESC @``), ``display`` (pole displays). I/O: ``transports`` (async TCP 9100, serial, Linux
``/dev/usb/lp*``, ``winspool`` for the Windows RAW spooler), ``printer_link`` (status, jobs
confirmed by ``GS r 1``, drawer pulses; one lock per printer), ``print_queue`` (jobs persisted
in SQLite, one worker per printer), ``printers`` (configured printers), ``drawer`` (audited
"no sale"), ``scanner_serial``, ``device_settings`` (scanner and display settings).

The app runs all of it on one dedicated device thread with its own asyncio loop
(``runtime.DeviceRuntime``: a slow printer never stalls the UI loop); the UI calls its methods
(futures) and subscribes to its events. Inside, the printing part is one
``service.PrintingService``::

    printing = PrintingService(db)
    printing.start(on_result=..., on_status=...)   # on the running asyncio (qasync) loop
    printing.queue_receipt(sale_id)                 # None when no printer is set up
    printing.status_text()                          # for the status bar
"""
