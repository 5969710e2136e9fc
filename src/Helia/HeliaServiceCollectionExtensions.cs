using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Helia;

public static class HeliaServiceCollectionExtensions
{
    /// <summary>
    /// Adds a Helia node to a .NET host (ASP.NET Core, a worker): <paramref name="configure"/> sets up its
    /// <see cref="HeliaBuilder"/>, the host starts and stops it (<see cref="HeliaNodeService"/>), and once started the
    /// node is resolvable as <see cref="HeliaNode"/>. The host's logging is used unless the builder sets its own.
    /// </summary>
    public static IServiceCollection AddHelia(this IServiceCollection services, Action<HeliaBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddSingleton(provider =>
        {
            var builder = new HeliaBuilder();
            if (provider.GetService<ILoggerFactory>() is { } loggerFactory)
            {
                builder.UseLoggerFactory(loggerFactory);
            }

            configure(builder);
            return new HeliaNodeService(builder);
        });
        services.AddHostedService(provider => provider.GetRequiredService<HeliaNodeService>());
        services.AddSingleton(provider => provider.GetRequiredService<HeliaNodeService>().Node);
        return services;
    }
}
