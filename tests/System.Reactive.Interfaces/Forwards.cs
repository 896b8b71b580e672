// begin-snippet: rx-testing-shim
using System.Reactive;
using System.Reactive.Concurrency;
using System.Runtime.CompilerServices;

[assembly: TypeForwardedTo(typeof(IScheduler))]
[assembly: TypeForwardedTo(typeof(IObserver<,>))]
// end-snippet
